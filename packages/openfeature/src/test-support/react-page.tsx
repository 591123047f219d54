// The page of web-provider.browser.test.ts: @openfeature/react-sdk over BucketryWebProvider, bundled
// by esbuild into one script. It records every text #root shows, from before React's first commit,
// so the test can tell a first paint of the assigned variant from a default that flashes first.
import { createBucketry, type ExperimentJSON, type ExposureEvent } from '@bucketry/core';
import { OpenFeature, OpenFeatureProvider, useBooleanFlagValue, useObjectFlagValue, useContextMutator } from '@openfeature/react-sdk';
import { createRoot } from 'react-dom/client';
import { BucketryWebProvider } from '../web.js';

interface PageState {
  experiments: ExperimentJSON[];
  unit: string;
  paints: string[];
  exposures: ExposureEvent[];
  changeUnit?: (unit: string) => Promise<void>;
}
const page = (globalThis as unknown as { bucketryPage: PageState }).bucketryPage;

function App() {
  const checkout = useBooleanFlagValue('new_checkout', false);
  const layout = useObjectFlagValue<{ layout: string }>('skill_tree_layout', { layout: 'default' });
  const { setContext } = useContextMutator();
  page.changeUnit = (unit) => setContext({ targetingKey: unit });
  return <p id="flags">{`checkout:${String(checkout)} layout:${layout.layout}`}</p>;
}

async function main(): Promise<void> {
  const root = document.getElementById('root')!;
  new MutationObserver(() => {
    const text = root.textContent ?? '';
    if (page.paints.at(-1) !== text) page.paints.push(text);
  }).observe(root, { childList: true, subtree: true, characterData: true });
  const bucketry = createBucketry({ experiments: page.experiments, sink: { write: (event) => void page.exposures.push(event) } });
  await OpenFeature.setProviderAndWait(new BucketryWebProvider(bucketry), { targetingKey: page.unit });
  createRoot(root).render(
    <OpenFeatureProvider>
      <App />
    </OpenFeatureProvider>,
  );
}

void main();
