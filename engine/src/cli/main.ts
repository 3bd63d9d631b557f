import { terminate } from './exit-codes.js';
import { runCli } from './program.js';

// Stdout and stderr are synchronous for files and pipes on Linux, so nothing is lost; exiting
// here means a stray handle in a library can never keep the CLI alive after its work is done.
terminate(await runCli(process.argv));
