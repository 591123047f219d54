import { act } from '@testing-library/react';
import type { ReactElement } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { vi } from 'vitest';

/** Renders as a server does: no DOM (`document` is undefined while renderToString runs). */
export function renderOnServer(element: ReactElement): string {
  vi.stubGlobal('document', undefined);
  try {
    return renderToString(element);
  } finally {
    vi.unstubAllGlobals();
  }
}

/** A server render hydrated in the document. */
export interface Hydrated {
  readonly html: string;
  readonly container: HTMLElement;
  readonly root: Root;
  /** Every console.error (server and client) and recoverable error, in order. */
  readonly problems: unknown[];
}

const mounted: Hydrated[] = [];

/** Server-renders `serverApp`, then hydrates its HTML with `clientApp`, recording every problem React reports. */
export async function serverThenHydrate(serverApp: ReactElement, clientApp: ReactElement): Promise<Hydrated> {
  const problems: unknown[] = [];
  const consoleError = vi.spyOn(console, 'error').mockImplementation((...args) => void problems.push(args));
  try {
    const html = renderOnServer(serverApp);
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    let root!: Root;
    await act(async () => {
      root = hydrateRoot(container, clientApp, { onRecoverableError: (error) => void problems.push(error) });
    });
    const hydrated = { html, container, root, problems };
    mounted.push(hydrated);
    return hydrated;
  } finally {
    consoleError.mockRestore();
  }
}

/** Unmounts and removes what {@link serverThenHydrate} mounted (run after each test by cleanup.ts). */
export function unmountHydrated(): void {
  for (const { root, container } of mounted.splice(0)) {
    act(() => root.unmount());
    container.remove();
  }
}
