// Chinese and English. The browser's language picks one first; the switch in the bar remembers the choice.
const KEY = 'crm.lang';

const en = {
  appName: 'CRM', signIn: 'Sign in', userName: 'User name', password: 'Password', signOut: 'Sign out',
  badCredentials: 'Wrong user name or password.', newPassword: 'New password (12 characters or more)',
  changePassword: 'Choose a new password to continue.', tooManyAttempts: 'Too many attempts: try again in {0} s.', mine: 'My customers', pool: 'Public pool', alerts: 'Alerts', team: 'Team',
  dashboard: 'Ops dashboard', language: '中文', loading: 'Loading…', empty: 'Nothing here.', error: 'Something went wrong: {0}',
  dropsIn: 'drops back in {0}', noDeadline: 'no drop-back date', overdue: 'drops back now', days: '{0} d', hours: '{0} h', minutes: '{0} min',
  claim: 'Claim', claimed: 'Claimed {0}.', goneToColleague: '{0} was just taken by a colleague.', choosePool: 'Pool',
  customer: 'Customer', company: 'Company', phone: 'Phone', email: 'E-mail', stage: 'Stage', save: 'Save', saved: 'Saved.',
  name: 'Name', address: 'Address', editDetails: 'Edit details', staleEdit: 'Someone changed this customer meanwhile: reload it and edit again.',
  'kind.details-edited': 'Details edited',
  followUp: 'Follow-up', type: 'Type', outcome: 'Outcome', text: 'Details', add: 'Add', timeline: 'Timeline', older: 'Older entries',
  note: 'Quick note', template: 'Template', submitNote: 'Save note', required: 'Required', yes: 'Yes', no: 'No',
  release: 'Release', reason: 'Reason', owner: 'Owner', you: 'You', unowned: 'public pool', live: 'live', offline: 'offline',
  'stage.lead': 'Lead', 'stage.opportunity': 'Opportunity', 'stage.customer': 'Customer', 'stage.lost': 'Lost', 'stage.invalid': 'Invalid',
  'type.visit': 'Visit', 'type.call': 'Call', 'type.message': 'Message', 'type.email': 'E-mail',
  'kind.created': 'Created', 'kind.claimed': 'Claimed', 'kind.released': 'Released', 'kind.recycled': 'Dropped back',
  'kind.moved': 'Moved to another pool', 'kind.assigned': 'Assigned', 'kind.follow-up': 'Follow-up', 'kind.stage-changed': 'Stage changed',
  'kind.duplicate-flagged': 'Possible duplicate', 'kind.note': 'Note', 'kind.merged': 'Merged', 'kind.merged-into': 'Merged into another',
  'event.CustomerAssigned': 'Assigned to you', 'event.CustomerClaimed': 'Claimed', 'event.CustomerReleased': 'Released',
  'event.CustomerRecycled': 'Dropped back to the pool', 'event.RecycleWarning': 'Drops back soon', 'event.FollowUpAdded': 'Follow-up',
  'event.StageChanged': 'Stage changed', 'event.CustomerEdited': 'Details edited', 'event.DuplicateFlagged': 'Possible duplicate', 'event.NoteAdded': 'Note',
  'event.LeadUnassigned': 'Lead waits for assignment', 'event.CollusionSuspected': 'Collusion suspected', 'event.ImportProgress': 'Import',
  deals: 'Deals', 'status.open': 'open', 'status.won': 'won', 'status.lost': 'lost', closesBy: 'closes by {0}',
  'event.DealCreated': 'Deal opened', 'event.DealStageChanged': 'Deal stage changed', 'event.DealWon': 'Deal won', 'event.DealLost': 'Deal lost',
  reminders: 'Follow-ups due', dueSoon: 'Dropping back within 3 days', liveEvents: 'Just now', markRead: 'Mark all read',
  reps: 'Reps', privatePool: 'private pool', dueWeek: 'due in 7 days', activity: 'Live activity', collusion: 'Collusion cases',
  noCollusion: 'No suspected collusion.', bulk: 'Bulk actions', select: 'Select', assignTo: 'Assign to', moveTo: 'Move to pool',
  apply: 'Apply', results: '{0} done, {1} refused', leads: 'Leads and customers', openDashboard: 'Open the Orleans dashboard',
};

const zh = {
  appName: 'CRM', signIn: '登录', userName: '用户名', password: '密码', signOut: '退出',
  badCredentials: '用户名或密码错误。', newPassword: '新密码（至少 12 个字符）',
  changePassword: '请先设置新密码。', tooManyAttempts: '尝试次数过多，请 {0} 秒后再试。', mine: '我的客户', pool: '公海', alerts: '提醒', team: '团队',
  dashboard: '运维看板', language: 'English', loading: '加载中…', empty: '暂无内容。', error: '出错了：{0}',
  dropsIn: '{0}后掉回公海', noDeadline: '不会掉回公海', overdue: '即将掉回公海', days: '{0}天', hours: '{0}小时', minutes: '{0}分钟',
  claim: '领取', claimed: '已领取 {0}。', goneToColleague: '{0} 刚被同事领走。', choosePool: '公海',
  customer: '客户', company: '公司', phone: '电话', email: '邮箱', stage: '阶段', save: '保存', saved: '已保存。',
  name: '名称', address: '地址', editDetails: '修改资料', staleEdit: '该客户刚被他人修改：请刷新后重新编辑。',
  'kind.details-edited': '资料修改',
  followUp: '跟进', type: '方式', outcome: '结果', text: '详情', add: '添加', timeline: '时间线', older: '更早的记录',
  note: '速记', template: '模板', submitNote: '保存速记', required: '必填', yes: '是', no: '否',
  release: '释放', reason: '原因', owner: '负责人', you: '我', unowned: '公海', live: '在线', offline: '离线',
  'stage.lead': '线索', 'stage.opportunity': '商机', 'stage.customer': '成交客户', 'stage.lost': '流失', 'stage.invalid': '无效',
  'type.visit': '拜访', 'type.call': '电话', 'type.message': '消息', 'type.email': '邮件',
  'kind.created': '创建', 'kind.claimed': '领取', 'kind.released': '释放', 'kind.recycled': '掉回公海',
  'kind.moved': '转移公海', 'kind.assigned': '分配', 'kind.follow-up': '跟进', 'kind.stage-changed': '阶段变更',
  'kind.duplicate-flagged': '疑似重复', 'kind.note': '速记', 'kind.merged': '合并', 'kind.merged-into': '已并入其他客户',
  'event.CustomerAssigned': '分配给你', 'event.CustomerClaimed': '被领取', 'event.CustomerReleased': '被释放',
  'event.CustomerRecycled': '掉回公海', 'event.RecycleWarning': '即将掉回公海', 'event.FollowUpAdded': '跟进',
  'event.StageChanged': '阶段变更', 'event.CustomerEdited': '资料已修改', 'event.DuplicateFlagged': '疑似重复', 'event.NoteAdded': '速记',
  'event.LeadUnassigned': '线索待分配', 'event.CollusionSuspected': '疑似串通', 'event.ImportProgress': '导入',
  deals: '商机', 'status.open': '进行中', 'status.won': '赢单', 'status.lost': '输单', closesBy: '预计 {0} 成交',
  'event.DealCreated': '新建商机', 'event.DealStageChanged': '商机阶段变更', 'event.DealWon': '赢单', 'event.DealLost': '输单',
  reminders: '待跟进', dueSoon: '3天内掉回公海', liveEvents: '最新动态', markRead: '全部已读',
  reps: '销售', privatePool: '私海', dueWeek: '7天内到期', activity: '实时动态', collusion: '串通嫌疑',
  noCollusion: '没有串通嫌疑。', bulk: '批量操作', select: '选择', assignTo: '分配给', moveTo: '转移到公海',
  apply: '执行', results: '成功 {0}，拒绝 {1}', leads: '线索和客户', openDashboard: '打开 Orleans 看板',
};

const dictionaries = { en, zh };
let lang = localStorage.getItem(KEY) || ((navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en');
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

export function t(key, ...args) {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return args.reduce((s, arg, i) => s.replace(`{${i}}`, arg), text);
}

export function language() {
  return lang;
}

export function setLanguage(next) {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

export function formatTime(iso) {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

/** "3 d 4 h" until the instant, or the overdue text. */
export function countdown(iso, now = Date.now()) {
  const ms = new Date(iso) - now;
  if (ms <= 0) return t('overdue');
  const minutes = Math.floor(ms / 60000);
  const d = Math.floor(minutes / 1440);
  const hr = Math.floor((minutes % 1440) / 60);
  const parts = d > 0 ? [t('days', d), t('hours', hr)] : hr > 0 ? [t('hours', hr), t('minutes', minutes % 60)] : [t('minutes', minutes)];
  return t('dropsIn', parts.join(' '));
}
