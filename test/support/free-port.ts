// The bench harness owns the one implementation (it cannot import from test/).
export { freePort } from '../../bench/reference-app.js';
