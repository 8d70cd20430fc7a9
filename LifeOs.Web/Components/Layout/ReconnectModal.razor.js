// The reconnect dialog's behaviour. blazor.web.js raises "components-reconnect-state-changed" on the
// dialog while it retries the connection by itself; when it gives up, Retry (or the tab becoming visible
// again) tries once more. A server that answers but no longer holds the circuit (it was evicted after
// DisconnectedCircuitRetentionPeriod, e.g. while a phone slept) gets a resume: a new circuit with the
// page's persisted state, on the same page. Only when that fails too (the server restarted) does the
// page reload; the sign-in cookie keeps the person signed in.
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    try {
        // true: reconnected; false: the server answered but has no such circuit; an exception: unreachable.
        const reconnected = await Blazor.reconnect();
        if (!reconnected) {
            const resumed = await Blazor.resumeCircuit();
            if (resumed) {
                reconnectModal.close();
            } else {
                location.reload();
            }
        }
    } catch {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
