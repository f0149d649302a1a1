// The Probot side of benchmarks/ack_vs_probot.py: the same ack-path work paperbot does for an
// `issue_comment` delivery, written the way a Probot app would write it.
//
// Probot (with @octokit/webhooks) verifies X-Hub-Signature-256, parses the JSON and routes the
// event; this app then drops repeated deliveries (paperbot does, Probot does not by itself),
// skips bots, and reads the comment's commands with the same Markdown-aware rules as
// handlers/commands.py. A comment with `/add` or `/remove` is where paperbot would start calling
// GitHub; the benchmark bodies carry none, so neither app makes an API call.
//
// Run with `probot run ./index.js` (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, LOG_LEVEL).
// GET /bench-counts answers what it handled, so the benchmark can check the work was really done.

const KNOWN_COMMANDS = new Set(["add", "remove", "update", "config"]);
const ACTED_ON = new Set(["add", "remove", "update"]);
const MAX_COMMAND_LINE = 10000;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const COMMAND = /^ {0,3}\/([A-Za-z][\w-]*)(?=\s|$)(.*)$/;
const SEPARATORS = /[\s,;]+/;
const SEEN_LIMIT = 20000; // paperbot remembers 20,000 delivery ids

export function parseCommands(body) {
  if (!body) return [];
  const commands = [];
  let fence = null;
  const lines = body.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) {
        fence = null;
      }
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    if (line.trimStart().startsWith(">")) continue;
    const match = COMMAND.exec(line.slice(0, MAX_COMMAND_LINE));
    if (!match || !KNOWN_COMMANDS.has(match[1].toLowerCase())) continue;
    const args = match[2].trim().split(SEPARATORS).filter(Boolean);
    commands.push({ name: match[1].toLowerCase(), args, line: index + 1 });
  }
  return commands;
}

const counts = { deliveries: 0, duplicates: 0, withCommands: 0, actedOn: 0 };
const seen = new Map();

function firstTime(id) {
  if (seen.has(id)) return false;
  seen.set(id, Date.now());
  if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value);
  return true;
}

export default (app, { addHandler }) => {
  addHandler((request, response) => {
    if (request.url !== "/bench-counts") return false;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
    return true;
  });
  app.on("issue_comment.created", async (context) => {
    counts.deliveries++;
    if (!firstTime(context.id)) {
      counts.duplicates++;
      return;
    }
    if (context.isBot) return;
    const commands = parseCommands(context.payload.comment.body);
    if (commands.length > 0) counts.withCommands++;
    if (commands.some((command) => ACTED_ON.has(command.name))) {
      // paperbot would read the list and the rolling pull request here (context.octokit).
      counts.actedOn++;
    }
  });
};
