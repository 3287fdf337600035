import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from '../shared/i18n.tsx';
import { ConsoleApp } from './ConsoleApp.tsx';
import '../shared/base.css';
import './console.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <LangProvider>
      <ConsoleApp />
    </LangProvider>
  </StrictMode>,
);
