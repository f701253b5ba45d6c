import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Placeholder until the chat widget lands: points at the API. */
function Placeholder() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', lineHeight: 1.5 }}>
      <h1 style={{ color: '#128C7E' }}>WhatsApp inbox</h1>
      <p>
        The server is running. GraphQL is at <a href="/graphql">/graphql</a> (bearer token printed at start), health at{' '}
        <a href="/api/whatsapp/health">/api/whatsapp/health</a>, metrics at <a href="/metrics">/metrics</a>.
      </p>
      <p>The embeddable chat widget is coming next.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Placeholder />
  </StrictMode>,
);
