import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from '../shared/i18n.tsx';
import { ScannerApp } from './ScannerApp.tsx';
import '../shared/base.css';
import './scanner.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <LangProvider>
      <ScannerApp />
    </LangProvider>
  </StrictMode>,
);

// Installable and usable offline: the service worker keeps the scanner shell (web/public/scanner/sw.js);
// not under the Vite dev server (port 5173), where the bundles are not files.
if ('serviceWorker' in navigator && location.port !== '5173') {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/scanner/sw.js', { scope: '/scanner/' }).catch(() => {
      // no offline start on this browser; online scanning still works
    });
  });
}
