// Builds this package from the one source of the browser client, webapp/js/: copies its modules here
// (git ignores the copies), with link.js importing CometD from the package's dependency `cometd` instead
// of ./cometd/cometd.js, where the gateway serves it. `npm pack` runs this first (prepack).
import { readFileSync, writeFileSync } from "node:fs";

const SOURCE = new URL("../js/", import.meta.url);
const MODULES = ["gridpush.js", "link.js", "version-gate.js"];
const SERVED = "./cometd/cometd.js";
const DEPENDENCY = "cometd";
// import ... from "x", export ... from "x", import "x"
const SPECIFIER = /^\s*(?:import|export)\b[^;"'=(]*?(?:\bfrom\s*)?["']([^"']+)["']/gm;

let rewritten = 0;
for (const name of MODULES) {
    const source = readFileSync(new URL(name, SOURCE), "utf8");
    const text = source.replace(SPECIFIER, (statement, specifier) => {
        if (specifier === SERVED) {
            ++rewritten;
            return statement.replace(SERVED, DEPENDENCY);
        }
        if (!MODULES.includes(specifier.replace(/^\.\//, ""))) {
            throw new Error(`webapp/js/${name} imports "${specifier}", which the package does not ship: add it to MODULES in build.mjs`);
        }
        return statement;
    });
    writeFileSync(new URL(name, import.meta.url), `// Built by build.mjs from gridpush's webapp/js/${name}: edit that one.\n` + text);
}
if (rewritten !== 1) {
    throw new Error(`expected one import of ${SERVED} in webapp/js/, found ${rewritten}: update build.mjs`);
}
console.log(`built ${MODULES.join(", ")} from webapp/js/ (CometD from the "${DEPENDENCY}" dependency)`);
