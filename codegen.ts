import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Types the widget's GraphQL documents from the checked-in schema (`npm run codegen`).
 * Fragment masking is off: components read the fields their fragments select, and the cache
 * updates (app/live.ts, messages/insertMessage.ts) write plain typed objects.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**/*', '!web/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        // Apollo Client adds __typename to every selection (except the root).
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
        enumsAsTypes: true,
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};
export default config;
