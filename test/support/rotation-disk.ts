import fs from 'node:fs';

// A rotation disk in the tests is a folder with a marker at its mount path: moving it aside unplugs it.
export const away = (mount: string): void => fs.renameSync(mount, `${mount}.away`);
export const back = (mount: string): void => fs.renameSync(`${mount}.away`, mount);
