#!/usr/bin/env bash
# Posts one Slack slash command to ingest, form-encoded and signed exactly as Slack signs it:
#   X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)>
# Needs curl and openssl. Usage (README.md beside this file):
#   ./send-slash-command.sh [--ingest URL] [--trigger-id ID] [--command /link] [TEXT]
# Defaults: ingest $JOBPIPE_INGEST_URL or http://localhost:8080, a fresh trigger_id, /link, TEXT "4F2K-9QXA", the
# dev connection's secret dev-slack-secret ($SLACK_SIGNING_SECRET overrides it). The same --trigger-id again is the
# same delivery. The reply goes to response_url $SLACK_REPLIES/<trigger id's last part>, $SLACK_REPLIES defaulting to
# FakeSlack.java's http://127.0.0.1:8099/commands/T0433ABCDEF/1234567890.
set -euo pipefail

ingest="${JOBPIPE_INGEST_URL:-http://localhost:8080}"
secret="${SLACK_SIGNING_SECRET:-dev-slack-secret}"
trigger="$(date +%s).738474920.$(openssl rand -hex 16)"
replies="${SLACK_REPLIES:-http://127.0.0.1:8099/commands/T0433ABCDEF/1234567890}"
command="/link"
text="4F2K-9QXA"
while [ $# -gt 0 ]; do
  case "$1" in
    --ingest) ingest="$2"; shift 2 ;;
    --trigger-id) trigger="$2"; shift 2 ;;
    --command) command="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) text="$1"; shift ;;
  esac
done

# application/x-www-form-urlencoded, as Slack sends it: spaces as '+', everything else outside [A-Za-z0-9._~-] as %XX.
form() {
  local LC_ALL=C   # byte by byte, so UTF-8 text becomes %XX per byte
  local s="$1" out="" c i
  for (( i = 0; i < ${#s}; i++ )); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      ' ') out+='+' ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

# Slack escapes these three in the text it sends; the rest of its markup (<@U…>, <#C…>) comes from its client.
slack_escaped() {
  printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'
}

body="token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0433ABCDEF&team_domain=acme&channel_id=C0LAN2Q65&channel_name=ops"
body+="&user_id=U061F7AUR&user_name=ada&command=$(form "$command")&text=$(form "$(slack_escaped "$text")")&api_app_id=A07QWERTYUI"
body+="&is_enterprise_install=false&response_url=$(form "$replies/${trigger##*.}")"
body+="&trigger_id=$(form "$trigger")"

timestamp="$(date +%s)"
signature="v0=$(printf 'v0:%s:%s' "$timestamp" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')"

echo "POST $ingest/webhooks/slack  ($command $text, trigger_id $trigger)" >&2
curl -sS -i -X POST "$ingest/webhooks/slack" \
     -H 'Content-Type: application/x-www-form-urlencoded' \
     -H "X-Slack-Request-Timestamp: $timestamp" \
     -H "X-Slack-Signature: $signature" \
     --data-binary "$body" \
     -w '\n(answered in %{time_total} s)\n'
