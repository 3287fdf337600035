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
