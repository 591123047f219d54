import type { NextConfig } from 'next';

const config: NextConfig = {
  // The example is served on 127.0.0.1 by its tests; no telemetry, no remote fonts or images.
  poweredByHeader: false,
};

export default config;
