// The parts of @observablehq/runtime (which ships no types) that the notebook runtime uses.
declare module '@observablehq/runtime' {
  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown): void;
    rejected?(error: unknown): void;
  }
  export interface Variable {
    define(name: string, inputs: string[], definition: (...inputs: never[]) => unknown): Variable;
    delete(): Variable;
  }
  export interface Module {
    variable(observer?: Observer): Variable;
    redefine(name: string, inputs: string[], definition: (...inputs: never[]) => unknown): Variable;
  }
  export class Runtime {
    constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
  }
  export class RuntimeError extends Error {
    constructor(message: string, input?: string);
  }
}
