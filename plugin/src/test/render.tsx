import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { render, screen, within } from '@testing-library/react';

function Where() {
  const l = useLocation();
  return <output data-testid="location">{`${l.pathname}${l.search}`}</output>;
}

/** Renders a page at `url` (matched by `path`) in a router, with the current location in `[data-testid=location]`. */
export function renderAt(ui: React.ReactElement, url: string, path = '*') {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={path} element={ui} />
        <Route path="*" element={null} />
      </Routes>
      <Where />
    </MemoryRouter>
  );
}

export const location = () => screen.getByTestId('location').textContent;

/**
 * The Field (label, control, validation message) that holds `control`: the nearest ancestor
 * that also holds a label. A message found inside it is shown next to that control.
 */
export function fieldOf(control: HTMLElement): HTMLElement {
  let el: HTMLElement | null = control.parentElement;
  while (el && !el.querySelector('label')) {
    el = el.parentElement;
  }
  if (!el) {
    throw new Error('control is not inside a field');
  }
  return el;
}

/** The validation message shown next to `control` (its Field's role=alert), or null. */
export function fieldError(control: HTMLElement): string | null {
  const alert = within(fieldOf(control)).queryByRole('alert');
  return alert ? alert.textContent : null;
}
