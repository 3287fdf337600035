import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from '../shared/i18n.tsx';
import { TransparencyApp } from './TransparencyApp.tsx';
import '../shared/base.css';
import './transparency.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <LangProvider>
      <TransparencyApp />
    </LangProvider>
  </StrictMode>,
);
