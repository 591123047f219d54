import type { NextRequest } from 'next/server';
import { bucketry } from '../../../../../bucketry';
import { skills } from '../../../../../skills';

// The same experiment in a route handler: the proxy forwarded the assignment on request.headers.
export function GET(request: NextRequest) {
  const layout = bucketry.fromHeaders(request.headers).variant('skill_tree_layout');
  return Response.json({ layout, skills: layout === 'list' ? skills : skills.filter((skill) => skill.after.length === 0) });
}
