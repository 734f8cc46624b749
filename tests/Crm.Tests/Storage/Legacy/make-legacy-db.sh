#!/usr/bin/env bash
# Builds the legacy-storage fixture: a SQLite database written by the Crm server at commit cdecf5f
# (customer history inside the Orleans grain-state blob) plus expected.json, the API's answers on it.
#
# Usage:  bash make-legacy-db.sh
#   LEGACY_DIR  the built worktree at cdecf5f      (required: a worktree of commit cdecf5f, built in Release)
#   OUT_DIR     where the fixture goes             (default: this folder)
#   DATA_DIR    the server's data directory        (default /tmp/legacy-data; wiped first)
#   PORT        HTTP port                          (default 5391)
# Needs: dotnet, curl, jq, sqlite3. Only the HTTP API is used to write data.
set -euo pipefail

LEGACY_DIR=${LEGACY_DIR:?set LEGACY_DIR to a Release-built worktree of commit cdecf5f}
OUT_DIR=${OUT_DIR:-$(cd "$(dirname "$0")" && pwd)}
DATA_DIR=${DATA_DIR:-/tmp/legacy-data}
PORT=${PORT:-5391}
API=http://127.0.0.1:$PORT
ADMIN_PASSWORD='admin-Passw0rd!'
USER_PASSWORD='Passw0rd!'
DB_NAME=legacy-main-cdecf5f.db
WORK=$(mktemp -d /tmp/legacy-fixture.XXXXXX)
SERVER_PID=

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping server $SERVER_PID (SIGTERM)"
    kill -TERM "$SERVER_PID"
    for _ in $(seq 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$SERVER_PID" 2>/dev/null && die "server $SERVER_PID did not exit within 60 s"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap stop_server EXIT

start_server() {
  log "starting legacy server on $API (data: $DATA_DIR)"
  ( cd "$LEGACY_DIR/host/Crm.Server" && exec env Crm__Storage__DataDirectory="$DATA_DIR" Crm__Admin__Password="$ADMIN_PASSWORD" \
      dotnet bin/Release/net10.0/Crm.Server.dll --urls "$API" ) >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 120); do
    curl -sf "$API/health" >/dev/null 2>&1 && { log "server up (pid $SERVER_PID)"; return; }
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; die "server exited"; }
    sleep 1
  done
  die "server not healthy after 120 s"
}

# call METHOD PATH TOKEN [JSON] [EXPECTED_STATUS...]  -> prints the body; dies on another status
call() {
  local method=$1 path=$2 token=$3 body=${4:-}; shift 4 || shift $#
  local expect=("$@"); [[ ${#expect[@]} -eq 0 ]] && expect=(200 201)
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" "$API$path" -H "authorization: Bearer $token")
  [[ -n "$body" ]] && args+=(-H 'content-type: application/json' --data-binary "$body")
  local status; status=$(curl "${args[@]}")
  local ok=0; for e in "${expect[@]}"; do [[ "$status" == "$e" ]] && ok=1; done
  [[ $ok -eq 1 ]] || { cat "$WORK/body" >&2; echo >&2; die "$method $path -> $status (expected ${expect[*]})"; }
  cat "$WORK/body"
}

token() {
  curl -sf -X POST "$API/api/auth/token" -H 'content-type: application/json' \
    -d "$(jq -nc --arg u "$1" --arg p "$2" '{userName:$u,password:$p}')" | jq -r .accessToken
}

# ---------------------------------------------------------------------------------------------------------------
[[ -f "$LEGACY_DIR/host/Crm.Server/bin/Release/net10.0/Crm.Server.dll" ]] || die "build $LEGACY_DIR first (dotnet build Crm.sln -c Release)"
commit=$(git -C "$LEGACY_DIR" rev-parse HEAD)
[[ "$commit" == cdecf5f* ]] || die "$LEGACY_DIR is at $commit, not cdecf5f"
rm -rf "$DATA_DIR"; mkdir -p "$DATA_DIR" "$OUT_DIR"
start_server

ADMIN=$(token admin "$ADMIN_PASSWORD"); [[ -n "$ADMIN" && "$ADMIN" != null ]] || die "admin login"

# --- org tree, users ------------------------------------------------------------------------------------------
log "org units, users"
U_EAST=$(call POST /api/org-units "$ADMIN" '{"name":"华东大区 East China Region"}' | jq -r .id)
U_MOSCOW=$(call POST /api/org-units "$ADMIN" "$(jq -nc --arg p "$U_EAST" '{name:"Москва · Moscow Team",parentId:$p}')" | jq -r .id)

mkuser() { # userName displayName role unit
  call POST /api/users "$ADMIN" "$(jq -nc --arg u "$1" --arg d "$2" --arg r "$3" --arg o "$4" --arg p "$USER_PASSWORD" \
    '{userName:$u,password:$p,displayName:$d,role:$r,orgUnitId:$o}')" | jq -r .id
}
MANAGER=$(mkuser zhao.manager "赵敏 Zhao Min (manager)" manager "$U_EAST")
WANG=$(mkuser wang.rep "王伟 Wang Wei" rep "$U_EAST")
LI=$(mkuser li.rep "李娜 Li Na" rep "$U_EAST")
IVANOV=$(mkuser ivanov.rep "Иван Иванов" rep "$U_MOSCOW")
T_MGR=$(token zhao.manager "$USER_PASSWORD"); T_WANG=$(token wang.rep "$USER_PASSWORD")
T_LI=$(token li.rep "$USER_PASSWORD"); T_IVANOV=$(token ivanov.rep "$USER_PASSWORD")

# --- pools (no recycle / cool-down rules: nothing may change by itself when the fixture is opened later) --------
log "pools"
P_EAST=$(call POST /api/pools "$ADMIN" "$(jq -nc --arg o "$U_EAST" '{name:"华东公海 East China public pool",orgUnitId:$o,
  rules:{reclaimProtectionDays:7,capacityPerRep:200,claimsPerRepPerDay:30,exemptCustomers:true,warnDaysBefore:[]}}')" | jq -r .id)
P_MOSCOW=$(call POST /api/pools "$T_MGR" "$(jq -nc --arg o "$U_MOSCOW" '{name:"Москва — общий пул / Moscow public pool",orgUnitId:$o,
  rules:{reclaimProtectionDays:14,capacityPerRep:100,exemptCustomers:true,
         dedup:{strategies:["identity-keys","company-name"],action:"flag"}}}')" | jq -r .id)

# --- customers -------------------------------------------------------------------------------------------------
declare -A C            # label -> id
declare -a ORDER=()     # labels in creation order
create() { # label token pool owner name company phone email address source
  local body; body=$(jq -nc --arg pool "$3" --arg owner "$4" --arg name "$5" --arg company "$6" --arg phone "$7" \
    --arg email "$8" --arg address "$9" --arg source "${10}" \
    '{name:$name,poolId:$pool} + ({company:$company,phone:$phone,email:$email,address:$address,source:$source,ownerId:$owner}
      | with_entries(select(.value != "")))')
  C[$1]=$(call POST /api/customers "$2" "$body" 201 | jq -r .id); ORDER+=("$1")
}
log "customers"
# East China pool; some created straight into a rep's private pool (ownerId)
create zhang     "$T_MGR" "$P_EAST" "$WANG" "张伟"  "杭州联合科技有限公司"            "+86 139 1234 5678" "zhangwei@lianhe-tech.cn"    "浙江省杭州市西湖区文三路 90 号"  "展会 trade fair"
create liqiang   "$T_MGR" "$P_EAST" "$WANG" "李强"  "上海华信物流有限公司"            "021-6234 5678"     "liqiang@huaxin-logistics.com" "上海市浦东新区张江路 188 号"     "官网 website"
create wangfang  "$T_MGR" "$P_EAST" "$WANG" "王芳"  "苏州东方纺织股份有限公司"        "+86 138 0013 8000" ""                            "江苏省苏州市吴中区"              "老客户介绍 referral"
create chenming  "$T_MGR" "$P_EAST" "$LI"   "陈明"  "宁波港通国际贸易有限公司"        "0574-8765 4321"    "chenming@gangtong-trade.com" "浙江省宁波市北仑区"              "电话营销 cold call"
create liuyang   "$T_MGR" "$P_EAST" "$LI"   "刘洋"  "南京金陵医疗器械有限公司"        "+86 137 5555 0101" "liuyang@jinling-med.cn"      "江苏省南京市江宁区"              "展会 trade fair"
# East China pool, unowned (to be claimed, assigned, moved, or left in the public pool)
create zhaolei   "$ADMIN" "$P_EAST" "" "赵磊"  "无锡新材料集团有限公司"              "+86 135 1010 2020" "zhaolei@wx-newmat.com"       "江苏省无锡市新吴区"              "官网 website"
create sunli     "$ADMIN" "$P_EAST" "" "孙丽"  "合肥智造电子有限公司"                "0551-6333 1234"    ""                            "安徽省合肥市高新区"              "百度推广 search ad"
create zhoujie   "$ADMIN" "$P_EAST" "" "周杰"  "温州瑞安鞋业有限公司"                "+86 136 6688 9900" "zhoujie@ruian-shoes.com"     "浙江省温州市瑞安市"              "展会 trade fair"
create wumin     "$ADMIN" "$P_EAST" "" "吴敏"  "上海浦东软件园发展有限公司"          "021-5080 1234"     "wumin@pdsp.com.cn"           "上海市浦东新区郭守敬路 498 号"   "官网 website"
create zhenghao  "$ADMIN" "$P_EAST" "" "郑浩"  "嘉兴恒达机械制造有限公司"            "+86 139 5730 7788" ""                            "浙江省嘉兴市南湖区"              "电话营销 cold call"
create huangting "$ADMIN" "$P_EAST" "" "黄婷"  "常州天宁化工有限公司"                "0519-8888 6666"    "huangting@tianning-chem.cn"  "江苏省常州市天宁区"              "老客户介绍 referral"
create xubin     "$ADMIN" "$P_EAST" "" "徐斌"  "绍兴柯桥纺织品进出口有限公司"        "+86 158 6750 1122" "xubin@kq-textile.com"        "浙江省绍兴市柯桥区"              "展会 trade fair"
create machao    "$ADMIN" "$P_EAST" "" "马超"  "扬州运河文化旅游有限公司"            "0514-8733 2211"    ""                            "江苏省扬州市广陵区"              "官网 website"
create zhuhong   "$ADMIN" "$P_EAST" "" "朱红"  "南通海星船舶配件有限公司"            "+86 189 1234 0000" "zhuhong@haixing-marine.cn"   "江苏省南通市崇川区"              "百度推广 search ad"
create hujun     "$ADMIN" "$P_EAST" "" "胡军"  "台州精工模具有限公司"                "0576-8811 2233"    ""                            "浙江省台州市黄岩区"              "电话营销 cold call"
create miller    "$ADMIN" "$P_EAST" "" "John Miller" "Shanghai Pacific Import Co., Ltd." "+86 21 6100 2000" "john.miller@pacific-import.com" "Room 1201, 1000 Lujiazui Ring Rd, Shanghai" "LinkedIn"
# the same company entered again by another route (East China pool has no dedup rule): merged later
create zhangdup  "$T_MGR" "$P_EAST" "$LI" "Zhang Wei" "Hangzhou Lianhe Technology Co., Ltd." "+86 139 1234 5679" "" "" "import"
# Moscow pool (dedup: flag)
create petrov    "$T_MGR" "$P_MOSCOW" "$IVANOV" "Иван Петров"       "ООО «Северсталь-Логистик»"     "+7 495 123-45-67" "i.petrov@severstal-log.ru" "Москва, ул. Тверская, д. 12"      "выставка"
create smirnova  "$T_MGR" "$P_MOSCOW" "$IVANOV" "Ольга Смирнова"    "АО «Уральские Трубы»"          "+7 343 222-33-44" "o.smirnova@uraltruby.ru"   "Екатеринбург, ул. Мира, д. 5"     "сайт"
create kuznetsov "$ADMIN" "$P_MOSCOW" "" "Дмитрий Кузнецов" "ООО «ТехноПарк Сколково»"           "+7 495 987-65-43" "kuznetsov@tp-sk.ru"        "Москва, Инновационный центр Сколково" "холодный звонок"
create volkova   "$ADMIN" "$P_MOSCOW" "" "Anna Volkova"     "Volga Trading LLC"                  "+7 846 333-44-55" "anna@volgatrading.com"     "Samara, Molodogvardeyskaya St 204" "website"
create sokolov   "$ADMIN" "$P_MOSCOW" "" "Сергей Соколов"   "ПАО «Балтийский Завод»"             "+7 812 324-00-00" ""                          "Санкт-Петербург, Косая линия, 16" "выставка"
create morozova  "$ADMIN" "$P_MOSCOW" "" "Elena Morozova"   "Siberian Timber Export Co., Ltd."   "+7 383 210-10-10" "e.morozova@sibtimber.com"  "Novosibirsk, Krasny Prospekt 1"    "referral"
create novikov   "$ADMIN" "$P_MOSCOW" "" "Алексей Новиков"  "ООО «Ромашка»"                      "+7 916 111-22-33" "novikov@romashka.ru"       "Москва, ул. Ленина, д. 1"         "сайт"
create fedorov   "$ADMIN" "$P_MOSCOW" "" "Mikhail Fedorov"  "Kazan Polymer Solutions LLC"        "+7 843 555-66-77" "m.fedorov@kazanpolymer.com" "Kazan, Pushkina St 10"           "LinkedIn"
create popova    "$ADMIN" "$P_MOSCOW" "" "Наталья Попова"   "ООО «СтройИнвест Групп»"            "+7 495 777-88-99" ""                          "Москва, Пресненская наб., 8"      "холодный звонок"
create lebedeva  "$ADMIN" "$P_MOSCOW" "" "Татьяна Лебедева" "ИП Лебедева Т. А."                  "+7 921 444-55-66" "t.lebedeva@mail.ru"        "Санкт-Петербург, Невский пр., 28" "рекомендация"
create kozlov    "$ADMIN" "$P_MOSCOW" "" "Пётр Козлов"      "ООО «Арктик Рыба»"                  "+7 815 245-67-89" "kozlov@arcticfish.ru"      "Мурманск, ул. Коминтерна, 7"      "выставка"
# the same company as petrov, entered again with the same phone: flagged (both get a duplicate-flagged entry)
create petrovdup "$ADMIN" "$P_MOSCOW" "" "Петров И. С."     "Северсталь Логистик ООО"            "+7 (495) 1234567" "" "" "импорт"
dupflag=$(call GET "/api/customers/${C[petrovdup]}/timeline" "$ADMIN" | jq '[.[] | select(.kind == "duplicate-flagged")] | length')
[[ "$dupflag" -ge 1 ]] || log "WARNING: petrovdup was not flagged as a duplicate"

# --- claims, releases, assignment, move -------------------------------------------------------------------------
log "claims, releases, assignment, move"
call POST "/api/customers/${C[zhaolei]}/claim"   "$T_WANG" "" >/dev/null
call POST "/api/customers/${C[sunli]}/claim"     "$T_WANG" "" >/dev/null
call POST "/api/customers/${C[zhoujie]}/claim"   "$T_LI" "" >/dev/null
call POST "/api/customers/${C[wumin]}/claim"     "$T_LI" "" >/dev/null
call POST "/api/customers/${C[zhenghao]}/claim"  "$T_LI" "" >/dev/null
call POST "/api/customers/${C[kuznetsov]}/claim" "$T_IVANOV" "" >/dev/null
call POST "/api/customers/${C[volkova]}/claim"   "$T_IVANOV" "" >/dev/null
call POST "/api/customers/${C[sokolov]}/claim"   "$T_IVANOV" "" >/dev/null
# a race: wang wants zhoujie too -> 409 already-owned (nothing recorded)
call POST "/api/customers/${C[zhoujie]}/claim"   "$T_WANG" "" 409 >/dev/null
call POST "/api/customers/${C[sunli]}/follow-ups" "$T_WANG" '{"type":"call","outcome":"no-budget","text":"客户表示今年预算已用完，明年一季度再联系。"}' >/dev/null
call POST "/api/customers/${C[sunli]}/release"   "$T_WANG" '{"reason":"客户暂无预算，明年再联系"}' >/dev/null
# reclaim protection (7 days) refuses wang; li takes it (a quick hand-over: a collusion case on the pool)
call POST "/api/customers/${C[sunli]}/claim"     "$T_WANG" "" 409 >/dev/null
call POST "/api/customers/${C[sunli]}/claim"     "$T_LI" "" >/dev/null
call POST "/api/customers/${C[sokolov]}/follow-ups" "$T_IVANOV" '{"type":"call","outcome":"not-target","text":"Закупки только через тендер на федеральной площадке, нам не подходит."}' >/dev/null
call POST "/api/customers/${C[sokolov]}/release" "$T_IVANOV" '{"reason":"Не целевой клиент: закупки только через госзакупки"}' >/dev/null
call POST "/api/customers/${C[huangting]}/assign" "$T_MGR" "$(jq -nc --arg r "$LI" '{repId:$r,reason:"按行业分配：化工行业由李娜负责"}')" >/dev/null
call POST /api/customers/bulk/move "$T_MGR" "$(jq -nc --arg c "${C[miller]}" --arg p "$P_MOSCOW" \
  '{customerIds:[$c],toPoolId:$p,reason:"Russian-speaking importer, handled by the Moscow team"}')" \
  | jq -e '.succeeded == 1' >/dev/null || die "bulk move"

# --- follow-ups and stages --------------------------------------------------------------------------------------
log "follow-ups, stages"
fu() { call POST "/api/customers/${C[$1]}/follow-ups" "$2" "$3" 201 >/dev/null; }
stage() { call POST "/api/customers/${C[$1]}/stage" "$2" "$3" >/dev/null; }
fu zhang "$T_WANG" '{"type":"call","outcome":"interested","text":"张总对 CRM 感兴趣，约下周二上门拜访。","at":"2026-11-20T02:30:00Z"}'
fu zhang "$T_WANG" '{"type":"visit","outcome":"met-decision-maker","text":"拜访张总和 IT 负责人，演示了公海和跟进功能。","location":"杭州市西湖区文三路 90 号","at":"2026-11-24T06:00:00Z"}'
stage zhang "$T_WANG" '{"stage":"opportunity","reason":"预算已确认：30 万元"}'
fu zhang "$T_WANG" '{"type":"email","outcome":"quote-sent","text":"已发送报价单 Q-2026-118（50 个账号，一年）。"}'
fu zhang "$T_WANG" '{"type":"message","outcome":"agreed","text":"微信确认：同意报价，走合同流程。"}'
stage zhang "$T_WANG" '{"stage":"customer","reason":"合同已签，首付款到账"}'
fu zhaolei "$T_WANG" '{"type":"call","outcome":"interested","text":"需要 ERP 对接方案。"}'
stage zhaolei "$T_WANG" '{"stage":"opportunity","reason":"有明确需求和预算"}'
fu wangfang "$T_WANG" '{"type":"message","outcome":"no-answer","text":"微信未回复。"}'
fu wangfang "$T_WANG" '{"type":"call","outcome":"callback-requested","text":"王经理在开会，下午回电。"}'
fu chenming "$T_LI" '{"type":"visit","outcome":"interested","text":"陈总希望先试用 30 天。","location":"宁波北仑港区"}'
fu zhoujie "$T_LI" '{"type":"call","outcome":"interested","text":"对移动端跟进功能感兴趣。"}'
stage zhoujie "$T_LI" '{"stage":"opportunity","reason":"约定产品演示"}'
fu zhoujie "$T_LI" '{"type":"visit","outcome":"lost-to-competitor","text":"客户最终选择了竞品（价格低 20%）。"}'
stage zhoujie "$T_LI" '{"stage":"lost","reason":"选择了竞争对手的方案，价格差距 20%"}'
fu wumin "$T_LI" '{"type":"email","outcome":"sent-brochure","text":"发送了产品手册和案例。"}'
fu huangting "$T_LI" '{"type":"call","outcome":"interested","text":"危化品客户管理有合规需求。"}'
fu petrov "$T_IVANOV" '{"type":"call","outcome":"interested","text":"Интересует интеграция с 1С. Договорились о встрече."}'
fu petrov "$T_IVANOV" '{"type":"visit","outcome":"met-decision-maker","text":"Встреча с коммерческим директором, показали воронку продаж.","location":"Москва, ул. Тверская, д. 12"}'
stage petrov "$T_IVANOV" '{"stage":"opportunity","reason":"Бюджет подтверждён, 2,5 млн руб."}'
fu smirnova "$T_IVANOV" '{"type":"email","outcome":"no-answer","text":"Письмо с КП без ответа."}'
fu kuznetsov "$T_IVANOV" '{"type":"message","outcome":"wrong-contact","text":"Telegram: номер принадлежит другому человеку."}'
stage kuznetsov "$T_IVANOV" '{"stage":"invalid","reason":"Неверный номер телефона"}'
fu volkova "$T_IVANOV" '{"type":"call","outcome":"interested","text":"Anna asked for an English demo next week."}'
stage volkova "$T_IVANOV" '{"stage":"opportunity","reason":"Demo scheduled"}'
stage smirnova "$T_MGR" '{"stage":"opportunity","reason":"Менеджер: клиент подтвердил интерес по телефону"}'
fu zhangdup "$T_LI" '{"type":"call","outcome":"interested","text":"Imported lead; Mr Zhang says his company already talks to us (Wang Wei)."}'

# a long history: 300 follow-ups on one customer, spread over the past ~300 days (past 'at' is allowed)
log "300 follow-ups on liqiang"
types=(call visit message email); outcomes=(interested no-answer callback-requested quote-sent)
now_s=$(date -u +%s)
for i in $(seq 1 300); do
  at=$(date -u -d "@$(( now_s - (301 - i) * 86400 + i * 37 ))" +%Y-%m-%dT%H:%M:%SZ)
  fu liqiang "$T_WANG" "$(jq -nc --arg t "${types[$((i % 4))]}" --arg o "${outcomes[$((i % 4))]}" --arg at "$at" --argjson n "$i" \
    '{type:$t,outcome:$o,at:$at,text:("第 \($n) 次跟进：讨论仓储管理需求 / follow-up #\($n)")}')"
done
stage liqiang "$T_WANG" '{"stage":"opportunity","reason":"长期跟进后确认需求"}'

# --- dot notes from the built-in templates ----------------------------------------------------------------------
log "note templates, notes"
call POST /api/note-templates/import "$ADMIN" '{"plugin":"Crm.Plugins.Standard","templateIds":["first-visit","first-visit-zh"]}' \
  | jq -e 'all(.[]; .outcome == "created" or .outcome == "unchanged")' >/dev/null || die "template import"
call GET /api/note-templates "$T_WANG" "" | jq -e 'map(.id) | index("first-visit-zh") != null' >/dev/null || die "template list"
NOTE_ZH=$(call POST "/api/customers/${C[zhang]}/notes" "$T_WANG" \
  '{"templateId":"first-visit-zh","answers":{"met_decision_maker":true,"budget":300000,"interests":["CRM","BI"],"next_step":"发送报价","next_follow_up":"2026-12-15","remarks":"张总关心数据迁移。"}}' 201)
call GET /api/note-templates "$T_IVANOV" "" | jq -e 'map(.id) | index("first-visit") != null' >/dev/null || die "template list (en)"
ftmpl=$(call GET /api/note-templates/first-visit "$T_IVANOV" "")
NOTE_EN_ANSWERS=$(jq -c '[.fields[] | {(.key): (
    if .type == "yesNo" then true
    elif .type == "number" then 500000
    elif .type == "singleChoice" then .options[0]
    elif .type == "multiChoice" then [.options[0]]
    elif .type == "date" then "2026-12-20"
    else "Prefers Russian-speaking support." end)}] | add' <<<"$ftmpl")
call POST "/api/customers/${C[volkova]}/notes" "$T_IVANOV" "$(jq -nc --argjson a "$NOTE_EN_ANSWERS" '{templateId:"first-visit",answers:$a}')" 201 >/dev/null

# --- merge: zhangdup (li's) into zhang (wang's) ------------------------------------------------------------------
log "merge"
call POST "/api/customers/${C[zhang]}/merge" "$T_MGR" "$(jq -nc --arg d "${C[zhangdup]}" '{duplicateId:$d,reason:"同一家公司重复录入（导入）"}')" >/dev/null
call POST "/api/customers/${C[zhangdup]}/follow-ups" "$T_LI" '{"type":"call","outcome":"x"}' 409 >/dev/null

# --- expected.json ----------------------------------------------------------------------------------------------
capture() { # PATH -> {status, body} or {status, location} for a redirect
  local hdr="$WORK/hdr" status
  status=$(curl -s -o "$WORK/body" -D "$hdr" -w '%{http_code}' "$API$1" -H "authorization: Bearer $ADMIN")
  if [[ "$status" == 30? ]]; then
    jq -n --argjson s "$status" --arg l "$(grep -i '^location:' "$hdr" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r')" '{status:$s,location:$l}'
  elif [[ -s "$WORK/body" ]] && jq -e . "$WORK/body" >/dev/null 2>&1; then
    jq -n --argjson s "$status" --slurpfile b "$WORK/body" '{status:$s,body:$b[0]}'
  else
    jq -n --argjson s "$status" --rawfile b "$WORK/body" '{status:$s,body:$b}'
  fi
}
log "capturing expected.json"
sleep 2   # let the read model catch up with the last writes
{
  for label in "${ORDER[@]}"; do
    id=${C[$label]}
    jq -n --arg lbl "$label" --arg id "$id" --argjson get "$(capture "/api/customers/$id")" \
      --argjson timeline "$(capture "/api/customers/$id/timeline")" --argjson notes "$(capture "/api/customers/$id/notes")" \
      '{key:$id, value:{"label":$lbl, get:$get, timeline:$timeline, notes:$notes}}'
  done
} | jq -s 'from_entries' >"$WORK/customers.json"
{
  for r in "$WANG" "$LI" "$IVANOV"; do jq -n --arg id "$r" --argjson v "$(capture "/api/reps/$r/customers?pageSize=500")" '{key:$id,value:$v}'; done
} | jq -s 'from_entries' >"$WORK/reps.json"
{
  for p in "$P_EAST" "$P_MOSCOW"; do
    jq -n --arg id "$p" --argjson pool "$(capture "/api/pools/$p")" --argjson c "$(capture "/api/pools/$p/customers?pageSize=500")" \
      '{key:$id,value:{pool:$pool,customers:$c}}'
  done
} | jq -s 'from_entries' >"$WORK/pools.json"

jq -n -S --arg commit "$commit" --arg at "$(date -u +%FT%TZ)" \
  --arg east "$U_EAST" --arg moscow "$U_MOSCOW" --arg mgr "$MANAGER" --arg wang "$WANG" --arg li "$LI" --arg ivanov "$IVANOV" \
  --arg pe "$P_EAST" --arg pm "$P_MOSCOW" --arg survivor "${C[zhang]}" --arg merged "${C[zhangdup]}" \
  --arg flagged "${C[petrovdup]}" --arg flaggedWith "${C[petrov]}" --arg long "${C[liqiang]}" --arg moved "${C[miller]}" \
  --arg adminpw "$ADMIN_PASSWORD" --arg pw "$USER_PASSWORD" \
  --slurpfile customers "$WORK/customers.json" --slurpfile reps "$WORK/reps.json" --slurpfile pools "$WORK/pools.json" \
  --argjson orgUnits "$(capture /api/org-units)" --argjson users "$(capture /api/users)" \
  --argjson poolList "$(capture /api/pools)" --argjson templates "$(capture /api/note-templates)" '
  {
    meta: {commit:$commit, createdAt:$at, capturedAs:"admin", script:"make-legacy-db.sh",
           note:"GET answers as the admin; a 3xx is recorded with its Location, not followed. Rep and pool lists with pageSize=500."},
    credentials: {admin:$adminpw, "zhao.manager":$pw, "wang.rep":$pw, "li.rep":$pw, "ivanov.rep":$pw},
    ids: {orgUnits:{east:$east, moscow:$moscow}, users:{manager:$mgr, wang:$wang, li:$li, ivanov:$ivanov},
          pools:{east:$pe, moscow:$pm},
          merge:{survivor:$survivor, mergedAway:$merged}, duplicateFlag:{flagged:$flagged, with:$flaggedWith},
          longHistory:$long, movedToMoscowPool:$moved},
    customers: $customers[0], repCustomers: $reps[0], pools: $pools[0],
    orgUnits: $orgUnits, users: $users, poolList: $poolList, noteTemplates: $templates
  }' >"$OUT_DIR/expected.json"

# --- summary ----------------------------------------------------------------------------------------------------
jq -r '
  "customers: \(.customers | length) (\([.customers[] | select(.get.status == 200)] | length) answer 200, \([.customers[] | select(.get.status == 308)] | length) answer 308)",
  "timeline entries (200 timelines): \([.customers[] | select(.timeline.status == 200) | .timeline.body | length] | add)",
  "notes: \([.customers[] | select(.notes.status == 200) | .notes.body | if type == "array" then length else (.items | length) end] | add)",
  "merges: \([.customers[] | select(.timeline.status == 200) | .timeline.body[] | select(.kind == "merged")] | length)",
  "duplicate-flagged entries: \([.customers[] | select(.timeline.status == 200) | .timeline.body[] | select(.kind == "duplicate-flagged")] | length)"
' "$OUT_DIR/expected.json" | tee "$WORK/summary.txt" >&2

# --- stop, checkpoint, copy -------------------------------------------------------------------------------------
stop_server
log "checkpoint + vacuum"
sqlite3 "$DATA_DIR/crm.db" 'PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA journal_mode;' >/dev/null
sqlite3 "$DATA_DIR/crm.db" 'PRAGMA integrity_check;' | grep -qx ok || die "integrity_check"
rm -f "$DATA_DIR/crm.db-wal" "$DATA_DIR/crm.db-shm"
cp "$DATA_DIR/crm.db" "$OUT_DIR/$DB_NAME"
cp "$WORK/server.log" "$OUT_DIR/server.log"
log "wrote $OUT_DIR/$DB_NAME ($(stat -c %s "$OUT_DIR/$DB_NAME") bytes) and $OUT_DIR/expected.json"
rm -rf "$WORK"
