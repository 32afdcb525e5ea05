// The wall screen's reconnection: a wall never gives up. Blazor's own attempts come first (30 of them, about six
// minutes); after that this keeps trying for ever. When the server answers but no longer knows the circuit (it was
// restarted), the page reloads itself — only once the page itself loads again, so a reload never lands on an error.

const banner = document.getElementById("components-reconnect-modal");
const text = document.getElementById("wall-reconnect-text");

/** Seconds between this script's own attempts: soon at first, then every 15 s. */
function retryDelaySeconds(attempt) {
    return Math.min(15, 3 + attempt * 3);
}

/** What to do for each state Blazor reports. */
function nextStep(state) {
    switch (state) {
        case "show":
        case "retrying":
            return "wait";          // Blazor is retrying by itself
        case "hide":
            return "live";          // back on the same circuit
        case "paused":
        case "resume-failed":
            return "resume";        // the server paused the circuit: take it up again
        case "failed":
            return "retry-forever"; // Blazor gave up: this does not
        case "rejected":
            return "reload";        // the server is back but the circuit is gone
        default:
            return "wait";
    }
}

let retrying = false;
let reloading = false;

if (banner) {
    banner.addEventListener("components-reconnect-state-changed", event => act(nextStep(event.detail.state)));
    // An error that ends the circuit shows #blazor-error-ui; a wall then reloads rather than freeze.
    setInterval(() => {
        const error = document.getElementById("blazor-error-ui");
        if (error && getComputedStyle(error).display !== "none") act("reload");
    }, 5000);
}

function act(step) {
    if (step === "live") {
        delete document.documentElement.dataset.wallStale;
        return;
    }
    document.documentElement.dataset.wallStale = "";
    if (step === "retry-forever") retryForever();
    else if (step === "resume") resume();
    else if (step === "reload") reloadWhenServerAnswers();
}

async function retryForever() {
    if (retrying) return;
    retrying = true;
    banner.classList.add("components-reconnect-retrying");
    for (let attempt = 0; !reloading; attempt++) {
        say("Connection to the server lost. Still trying…");
        await sleep(retryDelaySeconds(attempt));
        try {
            if (await Blazor.reconnect()) {
                retrying = false;
                banner.classList.remove("components-reconnect-retrying");
                act("live");
                return;
            }
            // The server answered but has no circuit for this page any more.
            await resume();
            return;
        } catch {
            // The server is still away: try again.
        }
    }
}

async function resume() {
    try {
        if (await Blazor.resumeCircuit()) {
            act("live");
            return;
        }
    } catch {
        // Nothing to resume: start afresh.
    }
    await reloadWhenServerAnswers();
}

async function reloadWhenServerAnswers() {
    if (reloading) return;
    reloading = true;
    banner.classList.add("components-reconnect-retrying");
    for (let attempt = 0; ; attempt++) {
        try {
            const answer = await fetch(location.href, { cache: "no-store" });
            if (answer.ok) {
                say("The server is back. Reloading…");
                location.reload();
                return;
            }
        } catch {
            // Not reachable yet.
        }
        say("Waiting for the server…");
        await sleep(retryDelaySeconds(attempt));
    }
}

function say(message) {
    if (text) text.textContent = message;
}

function sleep(seconds) {
    return new Promise(resolve => setTimeout(resolve, seconds * 1000));
}
