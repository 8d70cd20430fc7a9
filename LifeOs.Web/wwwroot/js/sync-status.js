// While a sync is queued or running, poll its status and reload the page when it moves on
// (started, progressed, finished). Without this script the page still works: reload it by hand.
const list = document.querySelector('[data-sync-active]');
if (list && list.dataset.syncActive === 'true') {
  const seen = list.dataset.syncSignature;
  const poll = async () => {
    try {
      const response = await fetch('integrations/sync-status', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const status = await response.json();
        if (status.signature !== seen) {
          location.reload();
          return;
        }
      }
    } catch {
      // Offline for a moment: try again on the next tick.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
