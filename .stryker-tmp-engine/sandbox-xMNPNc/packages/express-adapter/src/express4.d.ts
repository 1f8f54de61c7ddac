// @ts-nocheck
// Express 4 is installed under an alias for the tests; its surface used here matches Express 5's types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
