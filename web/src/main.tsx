import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadLanguage, storedLang } from './i18n';
import './styles.css';

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The English dictionary is a separate chunk: fetch it first when English was chosen before,
// so the first paint is already in English (on failure the page starts in Vietnamese).
loadLanguage(storedLang()).then(render, render);
