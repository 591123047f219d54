/** The skills and what each one builds on; the first prerequisite is its parent in the tree. */
export const skills: readonly { readonly name: string; readonly after: readonly string[] }[] = [
  { name: 'Basics', after: [] },
  { name: 'Variables', after: ['Basics'] },
  { name: 'Functions', after: ['Variables'] },
  { name: 'Loops', after: ['Variables'] },
  { name: 'Recursion', after: ['Functions'] },
  { name: 'Async', after: ['Functions', 'Loops'] },
];

/** The skills under `parent` in the tree layout. */
export const childrenOf = (parent: string | undefined) => skills.filter((skill) => skill.after[0] === parent);
