import { AppError } from '../errors.js';

/** The composers' one refusal: BAD_USER_INPUT naming the field. */
export const bad = (message: string, field?: string): never => {
  throw new AppError('BAD_USER_INPUT', message, field ? { field } : {});
};

/** BAD_USER_INPUT when `value` is empty or only spaces. */
export const nonBlank = (value: string, field: string) => {
  if (!value.trim()) bad(`${field} must not be empty`, field);
};

/** BAD_USER_INPUT when `value` has more than `max` characters (code points). */
export const checkLength = (value: string | undefined | null, max: number, field: string) => {
  if (value != null && [...value].length > max) bad(`${field} is longer than ${max} characters`, field);
};

/** Meta's text header, body and footer of an interactive message; header and footer only when given. */
export const textParts = (header: string | null | undefined, body: string, footer: string | null | undefined) => ({
  ...(header ? { header: { type: 'text', text: header } } : {}),
  body: { text: body },
  ...(footer ? { footer: { text: footer } } : {}),
});
