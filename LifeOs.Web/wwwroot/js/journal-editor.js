// Live word count (and progress toward 750 words for morning pages) while writing.
// The page works without it: the server shows the count when the entry is saved.
const source = document.querySelector('[data-word-source]');
if (source) {
    const help = source.parentElement.querySelector('.editor-help') ?? document;
    const counters = help.querySelectorAll('[data-word-count]');
    const bar = help.querySelector('.word-progress-bar span');
    const progress = help.querySelector('.word-progress');
    const words = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
    const update = () => {
        const count = (source.value.match(words) ?? []).length;
        counters.forEach(c => { c.textContent = count.toLocaleString('en'); });
        if (bar) {
            bar.style.width = Math.min(100, count * 100 / 750) + '%';
            progress.classList.toggle('done', count >= 750);
        }
    };
    source.addEventListener('input', update);
    update();
}
