import type { NextRequest } from 'next/server';
import { bucketry } from '../../../../bucketry';

// Outside proxy.ts's matcher on purpose: a route the proxy never runs for. The request reaches it
// as the client sent it, so an x-bucketry-assignments header here is the client's own; it carries
// no signature of this app's proxy, so fromHeaders refuses it (reported) and answers control.
export function GET(request: NextRequest) {
  return Response.json({ layout: bucketry.fromHeaders(request.headers).variant('skill_tree_layout') });
}
