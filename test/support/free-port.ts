export { freePort } from '../../src-main/core/util/free-port.ts';
