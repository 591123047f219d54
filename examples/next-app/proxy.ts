import type { NextFetchEvent, NextRequest } from 'next/server';
import { bucketry } from './bucketry';

export function proxy(request: NextRequest, event: NextFetchEvent) {
  return bucketry.proxy(request, event);
}

export const config = { matcher: ['/skills/:path*', '/api/v1/skills/:path*'] };
