/** What a part loaded on demand (React.lazy) shows while its code arrives: a short status line. */
export function Loading({ className }: { className?: string }) {
  return (
    <p className={`iw-muted${className ? ` ${className}` : ''}`} role="status">
      Loading…
    </p>
  );
}
