// Vite's `?raw` suffix imports a file's text as a string (used where node:fs is unavailable).
declare module '*?raw' {
  const text: string;
  export default text;
}
