/* marsbot web chat: renders the bot's Adaptive Cards with the official renderer, as Teams would. */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('marsbot-config').textContent);
  var AC = window.AdaptiveCards;
  var storage = safeStorage();
  var HISTORY_LIMIT = 60;

  var state = {
    // A first visit speaks the browser's language (a Dutch locale is Dutch, any other English); after
    // that, the language the conversation is in.
    lang: storage.get('marsbot.lang') || browserLang(),
    userId: storage.get('marsbot.userId') || newId(),
    conversationId: storage.get('marsbot.conversationId') || '',
    busy: false,
    polling: false,
  };
  storage.set('marsbot.userId', state.userId);

  var els = {
    messages: document.getElementById('messages'),
    examples: document.getElementById('examples'),
    form: document.getElementById('composer'),
    input: document.getElementById('input'),
    send: document.getElementById('send'),
    newConversation: document.getElementById('new-conversation'),
  };

  var hostConfig = new AC.HostConfig({
    fontFamily: "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', Arial, sans-serif",
    spacing: { small: 4, default: 8, medium: 14, large: 20, extraLarge: 28, padding: 14 },
    fontSizes: { small: 12, default: 14, medium: 17, large: 21, extraLarge: 26 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    containerStyles: {
      default: {
        backgroundColor: '#FFFFFF',
        foregroundColors: {
          default: { default: '#242424', subtle: '#616161' },
          accent: { default: '#444791', subtle: '#5b5fc7' },
          good: { default: '#237b4b', subtle: '#237b4b' },
          warning: { default: '#835b00', subtle: '#835b00' },
          attention: { default: '#c4314b', subtle: '#c4314b' },
        },
      },
      emphasis: {
        backgroundColor: '#F5F6FC',
        foregroundColors: {
          default: { default: '#242424', subtle: '#616161' },
          accent: { default: '#444791', subtle: '#5b5fc7' },
        },
      },
      accent: {
        backgroundColor: '#E8EBFA',
        foregroundColors: {
          default: { default: '#242424', subtle: '#616161' },
          accent: { default: '#33357a', subtle: '#444791' },
        },
      },
    },
    actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left', allowTitleToWrap: true },
    supportsInteractivity: true,
  });

  function safeStorage() {
    try {
      var probe = '__marsbot__';
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return {
        get: function (k) { return window.localStorage.getItem(k); },
        set: function (k, v) { window.localStorage.setItem(k, v); },
        remove: function (k) { window.localStorage.removeItem(k); },
      };
    } catch (e) {
      var memory = {};
      return {
        get: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        set: function (k, v) { memory[k] = String(v); },
        remove: function (k) { delete memory[k]; },
      };
    }
  }

  function browserLang() {
    var preferred = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    if (!preferred) return config.defaultLang;
    return /^nl\b/i.test(preferred) ? 'nl' : 'en';
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return 'id-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }

  function s(key) {
    return (config.strings[state.lang] || config.strings[config.defaultLang])[key];
  }

  function applyStrings() {
    document.documentElement.lang = state.lang;
    document.title = s('title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (el) {
      el.textContent = s(el.getAttribute('data-text'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-placeholder]'), function (el) {
      el.placeholder = s(el.getAttribute('data-placeholder'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-label]'), function (el) {
      el.setAttribute('aria-label', s(el.getAttribute('data-label')));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (el) {
      el.setAttribute('aria-pressed', String(el.getAttribute('data-lang') === state.lang));
    });
    els.examples.textContent = '';
    // Examples help before the first message; once the conversation has started they are in the way.
    if (started()) return;
    (s('examples') || []).forEach(function (example) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = example;
      button.addEventListener('click', function () { sendText(example); });
      els.examples.appendChild(button);
    });
  }

  // History survives a reload, so a refreshed page shows the conversation the engine still remembers.
  function historyKey() { return 'marsbot.history.' + state.conversationId; }
  function updatesKey() { return 'marsbot.updates.' + state.conversationId; }
  function started() {
    return loadHistory().some(function (entry) { return entry.from === 'user'; });
  }

  /** The page's own words follow the language the bot answers in (a switch by toggle, by asking, or by writing). */
  function followLang(replies) {
    var last = replies.length > 0 ? replies[replies.length - 1].lang : null;
    if (!last || last === state.lang || !config.strings[last]) return;
    state.lang = last;
    storage.set('marsbot.lang', last);
    applyStrings();
  }
  function loadHistory() {
    try { return JSON.parse(storage.get(historyKey()) || '[]'); } catch (e) { return []; }
  }
  function remember(entry) {
    var history = loadHistory();
    history.push(entry);
    try { storage.set(historyKey(), JSON.stringify(history.slice(-HISTORY_LIMIT))); } catch (e) { /* storage full: fine */ }
  }

  function scrollToEnd() { els.messages.scrollTop = els.messages.scrollHeight; }

  function addUserMessage(text, save) {
    var wrap = document.createElement('div');
    wrap.className = 'message user';
    var who = document.createElement('div');
    who.className = 'who';
    who.setAttribute('data-text', 'you');
    who.textContent = s('you');
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.textContent = text;
    wrap.appendChild(who);
    wrap.appendChild(bubble);
    els.messages.appendChild(wrap);
    if (save) remember({ from: 'user', text: text });
    scrollToEnd();
    return bubble;
  }

  function addCard(reply, save) {
    var wrap = document.createElement('div');
    wrap.className = 'message bot';
    wrap.setAttribute('data-kind', reply.kind);
    var who = document.createElement('div');
    who.className = 'who';
    who.setAttribute('data-text', 'bot');
    who.textContent = s('bot');
    var holder = document.createElement('div');
    holder.className = 'card';
    var card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = onAction;
    card.parse(reply.card);
    var rendered = card.render();
    if (rendered) holder.appendChild(rendered);
    wrap.appendChild(who);
    wrap.appendChild(holder);
    els.messages.appendChild(wrap);
    if (save) remember({ from: 'bot', reply: reply });
    scrollToEnd();
  }

  function addError(text) {
    var wrap = document.createElement('div');
    wrap.className = 'message bot error';
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    bubble.setAttribute('role', 'alert');
    bubble.textContent = text;
    wrap.appendChild(bubble);
    els.messages.appendChild(wrap);
    scrollToEnd();
  }

  function setBusy(busy) {
    state.busy = busy;
    els.send.disabled = busy;
    var typing = document.getElementById('typing');
    if (busy && !typing) {
      typing = document.createElement('div');
      typing.id = 'typing';
      typing.className = 'typing';
      typing.textContent = s('thinking');
      els.messages.appendChild(typing);
      scrollToEnd();
    } else if (!busy && typing) {
      typing.remove();
    }
  }

  // typed: the bubble of a typed message, kept out of the history until the server sends back the
  // form it keeps (secrets redacted), which then replaces the text and is what the history remembers.
  function post(payload, typed) {
    setBusy(true);
    var body = {
      conversationId: state.conversationId,
      userId: state.userId,
      locale: state.lang === 'nl' ? 'nl-NL' : 'en-US',
    };
    Object.keys(payload).forEach(function (k) { body[k] = payload[k]; });
    return fetch('/api/web/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (data) {
        setBusy(false);
        if (typed && typeof data.said === 'string') {
          typed.textContent = data.said;
          remember({ from: 'user', text: data.said });
          applyStrings();
        }
        data.replies.forEach(function (reply) { addCard(reply, true); });
        followLang(data.replies);
      })
      .catch(function () {
        setBusy(false);
        addError(s('unreachable'));
      });
  }

  function sendText(text) {
    var trimmed = text.trim();
    if (!trimmed || state.busy) return;
    post({ text: trimmed }, addUserMessage(trimmed, false));
  }

  function onAction(action) {
    var type = action.getJsonTypeName();
    if (type === 'Action.OpenUrl') {
      if (/^https?:\/\//i.test(action.url || '')) window.open(action.url, '_blank', 'noopener,noreferrer');
      return;
    }
    if (type === 'Action.Submit' && !state.busy) {
      addUserMessage(action.title || '…', true);
      applyStrings();
      post({ value: action.data });
    }
  }

  // What reached the conversation after its turn (a ticket claimed or resolved): fetched every few
  // seconds while the page is visible, shown once, remembered like the rest of the conversation.
  function poll() {
    if (state.polling || !state.conversationId || document.hidden) return;
    state.polling = true;
    var conversationId = state.conversationId;
    var after = Number(storage.get(updatesKey()) || 0);
    fetch('/api/web/updates?conversationId=' + encodeURIComponent(conversationId) + '&after=' + after)
      .then(function (res) { return res.ok ? res.json() : { updates: [] }; })
      .then(function (data) {
        state.polling = false;
        if (conversationId !== state.conversationId) return;
        (data.updates || []).forEach(function (update) {
          update.replies.forEach(function (reply) { addCard(reply, true); });
          storage.set(updatesKey(), String(update.seq));
        });
      })
      .catch(function () { state.polling = false; });
  }

  function startConversation(greet) {
    state.conversationId = newId();
    storage.set('marsbot.conversationId', state.conversationId);
    els.messages.textContent = '';
    applyStrings();
    // A new conversation opens the way Teams does after install: the bot introduces itself.
    if (greet) post({ event: 'start' });
  }

  function restore() {
    loadHistory().forEach(function (entry) {
      if (entry.from === 'user') addUserMessage(entry.text, false);
      else if (entry.reply) addCard(entry.reply, false);
    });
  }

  els.form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = els.input.value;
    if (!text.trim() || state.busy) return;
    els.input.value = '';
    sendText(text);
  });
  els.input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      els.form.requestSubmit();
    }
  });
  els.newConversation.addEventListener('click', function () {
    storage.remove(historyKey());
    storage.remove(updatesKey());
    startConversation(true);
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-lang]'), function (button) {
    button.addEventListener('click', function () {
      var lang = button.getAttribute('data-lang');
      if (lang === state.lang || state.busy) return;
      state.lang = lang;
      storage.set('marsbot.lang', lang);
      applyStrings();
      // The engine remembers the choice and confirms it in the new language.
      post({ value: { marsbot: { type: 'set-lang', lang: lang } } });
    });
  });

  applyStrings();
  if (state.conversationId && loadHistory().length > 0) restore();
  else startConversation(true);
  setInterval(poll, config.pollMs);
  document.addEventListener('visibilitychange', poll);
  els.input.focus();
})();
