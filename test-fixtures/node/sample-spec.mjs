#!/usr/bin/env node
// Prints the spec of the committed sample profile (samples/signal-desktop) on stdout.
// Everything is fictional and deterministic: same output on every run (seeded PRNG, fixed clock).
//
//   node sample-spec.mjs > /tmp/s.json && node make-profile.mjs --spec /tmp/s.json --out DIR
import { makeRandom, sha256, uuidFrom } from './ids.mjs';

// Seeded, so the text and timing are the same on every run.
const rand = makeRandom(0x5eed1234);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo));

const KEY = '5ca1ab1e0ddba11c0ffee0ddf00dcafe5ca1ab1e0ddba11c0ffee0ddf00dcafe';
const OWN_ACI = uuidFrom('aci alex');
const OWN_PNI = uuidFrom('pni alex');
const OWN_E164 = '+15555550100';

const person = (slug, profileName, profileFamilyName, e164, extra = {}) => ({
  id: uuidFrom(`conversation ${slug}`),
  type: 'private',
  profileName,
  profileFamilyName,
  e164,
  serviceId: uuidFrom(`aci ${slug}`),
  ...extra,
});

const me = person('alex', 'Alex', 'Doe', OWN_E164, { json: { profileSharing: true } });
const maria = person('maria', 'María José', 'Müller-Łukasiewicz', '+15555550101', { name: 'Maria Müller' });
const dmitri = person('dmitri', 'Дмитрий', 'Иванов', '+15555550102');
const yuki = person('yuki', '由紀', '田中', '+15555550103', { name: 'Yuki Tanaka' });
const priya = person('priya', 'प्रिया', 'शर्मा', '+15555550104');
const noa = person('noa', 'נועה', 'לוי', '+15555550105');
const omar = person('omar', 'عمر', 'الحسيني', '+15555550106');
const group = {
  id: uuidFrom('conversation group hikers'),
  type: 'group',
  name: 'Weekend Hikers 🥾⛰️',
  groupId: sha256('group hikers').toString('base64'),
  members: [maria.id, dmitri.id, noa.id, omar.id],
  json: { description: 'Trails, trains and too many snacks. Ελάτε όλοι!' },
};

// Time: 2024-03-04 .. 2026-02-27 UTC; includes the Europe/Berlin DST changes of 2024 and 2025.
const START = Date.UTC(2024, 2, 4, 8, 0, 0);
const END = Date.UTC(2026, 1, 27, 20, 0, 0);

const TEXT = {
  maria: [
    'Guten Morgen! Hast du schon Kaffee gehabt? ☕',
    'Ich bin gleich da, die S-Bahn hat mal wieder Verspätung 🙄',
    'Schöne Grüße aus Köln – das Wetter ist grässlich, aber die Stimmung ist gut.',
    'Übrigens: Straße, Größe, Äpfel, Öl, Übermut. Ich teste nur meine Tastatur 😅',
    'On se voit à la crêperie près de la gare ? Très bien, à tout à l’heure !',
    'Zażółć gęślą jaźń — mein polnischer Lieblingssatz.',
    'Wir müssen noch die Rechnung teilen: 23,50 € pro Person.',
    'Danke dir! 🙏🏽',
    'Ha, genau! 😂😂😂',
    'Kannst du mir das Rezept schicken?\nZutaten:\n- 200 g Mehl\n- 2 Eier\n- eine Prise Salz',
    'Tiếng Việt: Chúc mừng năm mới! Mình nhớ bạn nhiều lắm.',
  ],
  dmitri: [
    'Привет! Как дела?',
    'Всё хорошо, спасибо. Работаю над новым проектом 👨‍💻',
    'Γεια σου φίλε! Πώς πάει η δουλειά;',
    'Слава Україні! Вітаю з днем народження 🎂🎉',
    'Давай созвонимся вечером, часов в восемь?',
    'Я прочитал ту книгу — «Мастер и Маргарита». Потрясающе.',
    'Ευχαριστώ πολύ! Τα λέμε αύριο.',
    'ок 👍🏻',
    'Смотри, какой закат сегодня 🌅',
    'Ёлки-палки, опять дождь 🌧️',
  ],
  yuki: [
    'こんにちは！元気ですか？',
    '今日は東京で桜が満開です 🌸🌸',
    '明日の会議は10時からです。よろしくお願いします。',
    '你好！我们周末去爬山吧？',
    '谢谢你的礼物，我非常喜欢！🎁',
    'ラーメン食べに行こう 🍜',
    'お疲れ様でした〜 😊',
    '新年快乐！🧧',
    '了解です👌🏼',
    'カタカナとひらがなと漢字、全部まざってる文章です。',
  ],
  priya: [
    'नमस्ते! आप कैसे हैं?',
    'मैं ठीक हूँ, धन्यवाद 🙏🏾',
    'कल मिलते हैं, चाय पीने चलेंगे ☕',
    'สวัสดีครับ! วันนี้อากาศดีมาก',
    'ขอบคุณมากค่ะ 🙏',
    'दिवाली की हार्दिक शुभकामनाएँ! 🪔✨',
    'Family photo day 👨‍👩‍👧‍👦 everyone showed up, even my uncle 😄',
    'Coding all night 👩🏽‍💻 send help (and samosas)',
    'ไปเที่ยวเชียงใหม่กันไหม',
    'Proud of you 🏳️‍🌈❤️',
  ],
  group: [
    'Who is in for Saturday? 🥾',
    'Ich bin dabei! Treffpunkt 8:00 am Hauptbahnhof?',
    'אני מגיעה! מביאה סנדוויצ׳ים 🥪',
    'سأكون هناك إن شاء الله. هل نحتاج إلى تذاكر القطار؟',
    'Я возьму термос с чаем ☕',
    'Weather says 60 % rain 🌧️ … still going?',
    'Of course! There is no bad weather, only bad clothing 🧥',
    'שבת שלום לכולם 🕯️',
    'رحلة رائعة! شكراً للجميع 🙏🏻',
    'Photos are in the shared album 📸',
    'Next time: the Sächsische Schweiz route 🏔️',
    'Count me in 🙋🏿‍♂️',
  ],
  note: [
    'Buy: milk, bread, batteries (AA), birthday card for Maria',
    'Wi-Fi at the cabin: network "Hütte-5G"',
    'Ideas for the talk:\n1. why archives matter\n2. formats that last\n3. demo',
    'Dentist Tue 14:30 🦷',
    'Book recommendation from Dmitri: «Мастер и Маргарита»',
  ],
  outgoing: [
    'Sounds great!',
    'Haha yes 😂',
    'On my way 🚲',
    'Sorry, running 10 minutes late!',
    'Thank you so much ❤️',
    'Let me check my calendar 📅',
    'Perfect, see you there.',
    'Good night 🌙',
    'Can you send me the address?',
    'Congrats!!! 🎉🎉',
    'Ok 👍',
    'Miss you all 🫶',
  ],
};

const LONG_PARAGRAPH = [
  'So here is the long version of what happened on the trip, because you asked for details and I',
  'never know when to stop once I start typing: we left at six in the morning, the train was almost',
  'empty, and the conductor told us a story about the old narrow-gauge line that used to run up the',
  'valley until the seventies; then at the first station the bakery was closed, so we walked another',
  'two kilometres to the next village where an old lady sold us the best plum cake I have ever had;',
  'after that the trail climbed steeply through a beech forest, the fog lifted exactly when we reached',
  'the ridge, and for about ten minutes we could see all the way to the Czech border before the clouds',
  'came back; Omar insisted on taking a panorama with his phone, Noa found a fire salamander under a',
  'log, Dmitri made tea on his tiny stove, and Maria counted every single kilometre out loud; on the',
  'way down it started to rain properly, the path turned into a river, and we arrived at the station',
  'soaked, muddy and laughing, just in time to watch the last train leave without us — so we waited',
  'an hour in a pub with a tiled stove, dried our socks, and agreed unanimously that it was the best',
  'day of the year. 🥾🌲🌧️🍰',
].join(' ');

const MULTI_PARAGRAPH = 'Minutes of our planning call:\n\n'
  + '1) Route: Bad Schandau → Schrammsteine → Affensteine (≈ 14 km, 600 m ↑)\n'
  + '2) Food: everyone brings something; no more than three kinds of chocolate 🍫\n'
  + '3) Tickets: group ticket, I pay and you send me your share\n\n'
  + '    indented line, to keep whitespace honest\n'
  + 'trailing spaces here   \n\n'
  + 'עברית, العربية, Ελληνικά, Русский, 中文, 日本語, हिन्दी, ไทย — all in one message.';

const messages = [];
const calls = [];

function add(conv, type, sentAt, body, extra = {}) {
  const m = { conversationId: conv.id, type, sent_at: sentAt, ...extra };
  if (body !== undefined) m.body = body;
  if (m.id === undefined) m.id = uuidFrom(`sample message ${messages.length}`);
  messages.push(m);
  return m;
}

// Ordinary chatter: bursts of messages spread over the two years.
function chatter(conv, pool, count, senders) {
  const span = (END - START) / count;
  let t = START + between(3, 20) * 86400000;
  let n = 0;
  while (n < count) {
    const burst = Math.min(count - n, 1 + Math.floor(rand() * 3));
    for (let b = 0; b < burst; b += 1) {
      const sentAt = t + b * between(20, 600) * 1000;
      if (rand() < 0.45) {
        add(conv, 'outgoing', sentAt, pick(TEXT.outgoing));
      } else {
        const from = pick(senders);
        add(conv, 'incoming', sentAt, pick(pool), conv.type === 'group' ? { sourceServiceId: from.serviceId } : {});
      }
    }
    n += burst;
    t += Math.floor(span * burst * (0.3 + rand() * 1.4));
    if (t > END - 86400000) t = START + Math.floor(rand() * (END - START));
  }
}

chatter(maria, TEXT.maria, 80, [maria]);
chatter(dmitri, TEXT.dmitri, 60, [dmitri]);
chatter(yuki, TEXT.yuki, 55, [yuki]);
chatter(priya, TEXT.priya, 50, [priya]);
chatter(group, TEXT.group, 110, [maria, dmitri, noa, omar]);
for (let i = 0; i < 18; i += 1) {
  add(me, 'outgoing', START + Math.floor((END - START) * (i + rand()) / 18), pick(TEXT.note), {
    json: { sendStateByConversationId: {} },
  });
}

// Around the DST changes in Europe/Berlin: the skipped hour (2025-03-30 02:00 → 03:00 local) and the
// repeated hour (2024-10-27 03:00 → 02:00 local).
add(maria, 'incoming', Date.UTC(2025, 2, 30, 0, 59, 30), 'Es ist 01:59 – gleich wird die Uhr vorgestellt ⏰');
add(maria, 'outgoing', Date.UTC(2025, 2, 30, 1, 0, 30), 'Und jetzt ist es schon 03:00! Eine Stunde weg 😴');
add(maria, 'incoming', Date.UTC(2024, 9, 27, 0, 30, 0), '02:30 Sommerzeit …');
add(maria, 'outgoing', Date.UTC(2024, 9, 27, 1, 30, 0), '… und noch einmal 02:30, diesmal Winterzeit 🕑');
add(group, 'incoming', Date.UTC(2025, 9, 26, 0, 45, 0), 'Clocks go back tonight, extra hour of sleep before the hike 😴',
  { sourceServiceId: noa.serviceId });

// Group creation and changes (group-v2-change notifications).
const groupStart = START + 2 * 86400000;
add(group, 'group-v2-change', groupStart, undefined, {
  json: { groupV2Change: { from: OWN_ACI, details: [{ type: 'create' }] } },
});
add(group, 'group-v2-change', groupStart + 60000, undefined, {
  json: {
    groupV2Change: {
      from: OWN_ACI,
      details: [maria, dmitri, noa, omar].map((p) => ({ type: 'member-add', aci: p.serviceId })),
    },
  },
});
add(group, 'group-v2-change', groupStart + 86400000 * 40, undefined, {
  json: { groupV2Change: { from: maria.serviceId, details: [{ type: 'title', newTitle: 'Weekend Hikers 🥾⛰️' }] } },
});

// Long texts.
add(group, 'outgoing', Date.UTC(2024, 5, 16, 19, 12, 0), LONG_PARAGRAPH);
add(group, 'incoming', Date.UTC(2024, 5, 10, 18, 5, 0), MULTI_PARAGRAPH, { sourceServiceId: maria.serviceId });

// Formatting ranges (offsets in UTF-16 code units) and a mention (U+FFFC placeholder).
const styled = 'Bold, italic, spoiler, strikethrough and monospace in one message';
add(dmitri, 'incoming', Date.UTC(2024, 7, 2, 9, 30, 0), styled, {
  json: {
    bodyRanges: [
      { start: 0, length: 4, style: 1 },
      { start: 6, length: 6, style: 2 },
      { start: 14, length: 7, style: 3, spoilerId: 1 },
      { start: 23, length: 13, style: 4 },
      { start: 41, length: 9, style: 5 },
    ],
  },
});
const mentionBody = '\uFFFC can you bring the map? 🗺️';
add(group, 'incoming', Date.UTC(2025, 4, 8, 17, 20, 0), mentionBody, {
  sourceServiceId: omar.serviceId,
  json: { bodyRanges: [{ start: 0, length: 1, mentionAci: OWN_ACI }] },
});
add(group, 'outgoing', Date.UTC(2025, 4, 8, 17, 25, 0), 'Sure, \uFFFC – and the compass 🧭', {
  json: { bodyRanges: [{ start: 6, length: 1, mentionAci: omar.serviceId }, { start: 8, length: 3, style: 1 }] },
});

// A quote reply.
const quoted = add(yuki, 'incoming', Date.UTC(2025, 0, 14, 11, 0, 0), '来週の金曜日、空いてる？');
add(yuki, 'outgoing', Date.UTC(2025, 0, 14, 11, 4, 0), 'Yes! Friday works 🙌🏼', {
  json: {
    quote: {
      id: quoted.sent_at,
      authorAci: yuki.serviceId,
      text: quoted.body,
      attachments: [],
      bodyRanges: [],
      isViewOnce: false,
      referencedMessageNotFound: false,
      isGiftBadge: false,
    },
  },
});

// Reactions (fromId is a conversation id; our own is the note-to-self conversation).
const reacted = add(group, 'incoming', Date.UTC(2025, 6, 19, 20, 10, 0), 'Summit! 🏔️ 1 674 m', {
  sourceServiceId: dmitri.serviceId,
});
reacted.json = {
  reactions: [
    { emoji: '🎉', fromId: me.id, targetTimestamp: reacted.sent_at, timestamp: reacted.sent_at + 30000 },
    { emoji: '❤️', fromId: maria.id, targetTimestamp: reacted.sent_at, timestamp: reacted.sent_at + 45000 },
    { emoji: '👍🏾', fromId: omar.id, targetTimestamp: reacted.sent_at, timestamp: reacted.sent_at + 90000 },
  ],
};
const liked = add(priya, 'outgoing', Date.UTC(2025, 10, 1, 16, 0, 0), 'Happy Diwali! 🪔');
liked.json = {
  reactions: [{ emoji: '🥰', fromId: priya.id, targetTimestamp: liked.sent_at, timestamp: liked.sent_at + 120000 }],
};

// An edited message: body is the newest version; editHistory is newest first, original last.
const editSent = Date.UTC(2025, 7, 21, 8, 0, 0);
add(maria, 'incoming', editSent, 'Treffen wir uns um 9:30 am Bahnhof?', {
  json: {
    editHistory: [
      { body: 'Treffen wir uns um 9:30 am Bahnhof?', timestamp: editSent + 180000,
        received_at_ms: editSent + 181000, readStatus: 0 },
      { body: 'Treffen wir uns um 9 am Bahnhof?', timestamp: editSent,
        received_at_ms: editSent + 900, readStatus: 0 },
    ],
    editMessageTimestamp: editSent + 180000,
    editMessageReceivedAtMs: editSent + 181000,
  },
});

// Calls: a call-history message carries only json.callId; the details are in callsHistory.
const callAt = Date.UTC(2025, 1, 9, 18, 30, 0);
const callId = '7283519430857294016';
add(dmitri, 'call-history', callAt, undefined, { readStatus: 0, seenStatus: 2, json: { callId } });
calls.push({
  callId, peerId: dmitri.serviceId, ringerId: dmitri.serviceId, mode: 'Direct', type: 'Video',
  direction: 'Incoming', status: 'Accepted', timestamp: callAt, startedById: dmitri.serviceId,
  endedTimestamp: callAt + 23 * 60000,
});
const missedAt = Date.UTC(2025, 8, 3, 7, 15, 0);
const missedId = '1938475610293847561';
add(priya, 'call-history', missedAt, undefined, { json: { callId: missedId } });
calls.push({
  callId: missedId, peerId: priya.serviceId, ringerId: priya.serviceId, mode: 'Direct', type: 'Audio',
  direction: 'Incoming', status: 'Missed', timestamp: missedAt, startedById: null, endedTimestamp: null,
});

// Disappearing messages switched on, used, and switched off again.
const timerAt = Date.UTC(2025, 3, 5, 20, 0, 0);
add(dmitri, 'timer-notification', timerAt, undefined, {
  sourceServiceId: dmitri.serviceId,
  expireTimer: 604800,
  json: { expirationTimerUpdate: { expireTimer: 604800, source: dmitri.e164, sourceServiceId: dmitri.serviceId } },
});
add(dmitri, 'incoming', timerAt + 60000, 'Этот текст исчезнет через неделю 🤫', { expireTimer: 604800 });
add(dmitri, 'outgoing', timerAt + 120000, 'Secret agent mode 🕵️‍♂️', { expireTimer: 604800 });
add(dmitri, 'timer-notification', timerAt + 3600000, undefined, {
  sourceServiceId: OWN_ACI,
  json: { expirationTimerUpdate: { expireTimer: 0, source: OWN_E164, sourceServiceId: OWN_ACI } },
});

// A few attachments, stored as Signal stores them at rest (attachment-files.mjs writes the files).
reacted.attachments = [{ contentType: 'image/png', fileName: 'summit.png', width: 64, height: 48,
  plaintextFile: 'media/photo.png' }];
liked.attachments = [{ contentType: 'image/gif', width: 2, height: 2, flags: 8, plaintextFile: 'media/tiny.gif' }];
quoted.attachments = [{ contentType: 'audio/wav', flags: 1, duration: 0.4, plaintextFile: 'media/beep.wav' }];
add(group, 'outgoing', Date.UTC(2025, 4, 8, 17, 40, 0), 'Packing list for Saturday', {
  attachments: [{ contentType: 'text/plain', fileName: 'packing-list.txt',
    plaintextText: 'rain jacket\ncompass\nsandwiches\nhead torch\n' }],
});
add(yuki, 'incoming', Date.UTC(2025, 0, 14, 11, 6, 0), undefined, {
  json: { sticker: { packId: 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6', stickerId: 0, emoji: '😊',
    data: { contentType: 'image/png', width: 32, height: 32, plaintextFile: 'media/sticker.png' } } },
});
maria.json = { ...(maria.json ?? {}), profileAvatar: { contentType: 'image/png', plaintextFile: 'media/avatar.png' } };

// Timeline order (Signal orders by received_at, then sent_at).
messages.sort((a, b) => a.sent_at - b.sent_at);

// The newest few messages stay only in the WAL.
const WAL_COUNT = 4;
const newest = END + 3600000;
add(maria, 'incoming', newest, 'Noch wach? 🌙');
add(maria, 'outgoing', newest + 90000, 'Ja, aber nicht mehr lange 😴');
add(group, 'incoming', newest + 300000, 'Last-minute change: we meet at 7:45! 🚆', { sourceServiceId: noa.serviceId });
add(me, 'outgoing', newest + 600000, 'Pack rain jacket 🧥', { json: { sendStateByConversationId: {} } });

const spec = {
  description: 'Fictional Signal Desktop profile of Alex Doe, for chat-archive tests and demos.',
  key: KEY,
  schemaVersion: 1830,
  ownAci: OWN_ACI,
  ownPni: OWN_PNI,
  ownE164: OWN_E164,
  conversations: [me, maria, dmitri, yuki, priya, noa, omar, group],
  messages,
  calls,
  items: {
    profileKey: sha256('profile key alex').toString('base64'),
    'read-receipt-setting': true,
    'typing-indicators-setting': true,
  },
  walUncheckpointed: WAL_COUNT,
};
process.stdout.write(`${JSON.stringify(spec, null, 1)}\n`);
