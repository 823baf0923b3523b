// A .wasm file imported by a bundle (esbuild's 'binary' loader): its bytes.
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
