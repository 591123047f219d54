// Each React project says which React it means to run (vitest.workspace.ts `provide`).
declare module 'vitest' {
  export interface ProvidedContext {
    reactMajor: number;
  }
}
export {};
