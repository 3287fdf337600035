import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LangProvider } from '../shared/i18n.tsx';
import { VenueApp } from './VenueApp.tsx';
import '../shared/base.css';
import './venue.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <LangProvider>
      <VenueApp />
    </LangProvider>
  </StrictMode>,
);
