import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findMailSettingsApi } from './api';
import { App } from './App';
import './styles.css';
// After the window's styles, which its rules refine.
import './inbox/inbox.css';
import './admin/admin.css';
import './integration/integration.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App api={findMailSettingsApi()} />
  </StrictMode>,
);
