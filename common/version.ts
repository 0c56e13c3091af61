import pkg from '../package.json';

export const DAEMON_VERSION: string = pkg.version;
