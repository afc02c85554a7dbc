/** `npm run build:viewer`: bundles the viewer page into viewer/dist/ (the server and tests also do it on demand). */
import { buildPage } from '../viewer/page/build-page.js';

const t0 = performance.now();
const dir = await buildPage({ minify: !process.argv.includes('--no-minify') });
console.log(`viewer page built in ${dir} (${Math.round(performance.now() - t0)} ms)`);
