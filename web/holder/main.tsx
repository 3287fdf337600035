import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from '../shared/i18n.tsx';
import { HolderApp } from './HolderApp.tsx';
import '../shared/base.css';
import './holder.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <LangProvider>
      <HolderApp />
    </LangProvider>
  </StrictMode>,
);
