import type { CodeUnit, SkillModel } from './skill-model';

// Whether a skill's code can reach the network at all: an HTTP client, a raw socket, mail, DNS
// look-ups, remote copies or a git push. A skill with none of these cannot move what it reads.

/** HTTP clients of the languages skills are written in, and curl/wget. */
export const HTTP_CLIENT =
  /\brequests\.(?:get|post|put|patch|delete|head|request|Session)\b|\burllib(?:\.request|3)\b|\burlopen\s*\(|\bhttpx\.|\baiohttp\b|\bhttp\.client\b|\bfetch\s*\(|\baxios\b|\bhttps?\.(?:request|get)\s*\(|(?:^|[\s;|&(`])(?:curl|wget)\s|\bInvoke-(?:WebRequest|RestMethod)\b/m;

/** Raw sockets, per language (global patterns: reset `lastIndex` before testing). */
export const RAW_SOCKET: Readonly<Partial<Record<CodeUnit['language'], RegExp>>> = {
  python: /\bsocket\.(?:socket|create_connection)\s*\(|\bfrom[ \t]+socket[ \t]+import\b[^\n]{0,120}\b(?:socket|create_connection)\b/g,
  javascript: /\b(?:net|tls)\.(?:connect|createConnection)\s*\(|\bnew[ \t]+(?:net\.)?Socket\s*\(|\bdgram\.createSocket\s*\(/g,
  typescript: /\b(?:net|tls)\.(?:connect|createConnection)\s*\(|\bnew[ \t]+(?:net\.)?Socket\s*\(|\bdgram\.createSocket\s*\(/g,
  bash: /\/dev\/(?:tcp|udp)\/[\w.$-]{1,100}/g,
  powershell: /\bNet\.Sockets\.(?:TcpClient|UdpClient|Socket)\b/g,
};

/** Mail, MQTT publishers, DNS look-ups, sockets, and copies to a `host:path`: ways out besides an HTTP client. */
const OTHER_EGRESS = /\b(?:smtplib|nodemailer|sendmail|mosquitto_pub|mqttx|gethostbyname|getaddrinfo|dns\.(?:promises\.)?(?:resolve\w{0,5}|lookup)|socket\.|sftp|ftp|nc|ncat|socat|dig|nslookup|git[ \t]+push)\b|\b(?:scp|rsync)\b[^\n]{0,200}?\s(?:[\w.-]+@)?[\w.-]+:(?!\/\/)|\brsync:\/\//;

/** Answers per skill model: the question is asked by several rules of one scan. */
const answers = new WeakMap<SkillModel, boolean>();

/** Whether any code of the skill (scripts, fences) holds an HTTP client, a socket or another way out. */
export function codeReachesNetwork(model: SkillModel): boolean {
  let answer = answers.get(model);
  if (answer === undefined) {
    answer = unitsReachNetwork(model);
    answers.set(model, answer);
  }
  return answer;
}

function unitsReachNetwork(model: SkillModel): boolean {
  return model.units.some((unit) => {
    if (HTTP_CLIENT.test(unit.text) || OTHER_EGRESS.test(unit.text)) return true;
    const socket = RAW_SOCKET[unit.language];
    if (!socket) return false;
    socket.lastIndex = 0;
    return socket.test(unit.text);
  });
}
