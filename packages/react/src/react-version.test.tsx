import { render, screen } from '@testing-library/react';
import { useState, version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, inject, it } from 'vitest';
import './test-support/react-major.js';

function Counter() {
  const [count] = useState(41);
  return <output>{count + 1}</output>;
}

it('runs on the React this project names, with React DOM and Testing Library on the same copy', () => {
  const major = inject('reactMajor');
  expect(Number(version.split('.')[0])).toBe(major);
  expect(Number(domVersion.split('.')[0])).toBe(major);
  // Two copies of React would make this hook throw "Invalid hook call".
  render(<Counter />);
  expect(screen.getByRole('status').textContent).toBe('42');
});
