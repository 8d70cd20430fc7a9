// Renders every [data-chart] element with Apache ECharts. The server embeds each chart's options as
// JSON in a <script type="application/json"> named by data-chart, and also renders the numbers as a
// table, so the page is complete without this script; ECharts itself (1 MB, 290 KB brotli) is only
// fetched on pages that have a chart.
const elements = document.querySelectorAll('[data-chart]');
if (elements.length > 0) {
    const echarts = await import('../lib/echarts/echarts.esm.min.js');
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const charts = [];

    const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const palette = () => [css('--brand'), '#2bb3a3', '#f2a541', '#e4637c', '#8e7cc3', '#5aa9e6', '#9ccc65'];

    // Options reference theme colours by name ("var(--brand)"), so light and dark both read well.
    const resolve = value => {
        if (typeof value === 'string' && value.startsWith('var(')) {
            return css(value.slice(4, -1));
        }
        if (Array.isArray(value)) {
            return value.map(resolve);
        }
        if (value && typeof value === 'object') {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
        }
        return value;
    };

    // Tooltips and axes: durations in hours and minutes, other values as the server formatted the unit.
    const hours = v => {
        const minutes = Math.round(v * 60);
        return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
    };
    const formatters = { hours };

    const render = () => {
        for (const { chart, el } of charts) {
            chart.dispose();
            el.removeAttribute('_echarts_instance_');
        }
        charts.length = 0;
        for (const el of elements) {
            const options = resolve(JSON.parse(document.getElementById(el.dataset.chart).textContent));
            const textColor = css('--text-muted');
            const theme = {
                color: palette(),
                backgroundColor: 'transparent',
                textStyle: { color: textColor, fontFamily: css('--font') },
                animation: false,
            };
            const chart = echarts.init(el, null, { renderer: 'svg' });
            const axis = a => ({
                axisLine: { lineStyle: { color: css('--border') } },
                splitLine: { lineStyle: { color: css('--border') } },
                nameTextStyle: { color: textColor, align: 'center' },
                axisLabel: { color: textColor, hideOverlap: true, ...(a.axisLabel ?? {}), ...(a.unitFormat === 'hours' ? { formatter: hours } : {}) },
                ...a,
            });
            if (options.xAxis) options.xAxis = [].concat(options.xAxis).map(axis);
            if (options.yAxis) options.yAxis = [].concat(options.yAxis).map(axis);
            if (options.tooltipFormat && formatters[options.tooltipFormat]) {
                options.tooltip = { ...(options.tooltip ?? {}), valueFormatter: v => (v == null ? '–' : formatters[options.tooltipFormat](v)) };
            }
            chart.setOption({ ...theme, ...options });
            el.classList.add('chart-ready');
            charts.push({ chart, el });
        }
        document.documentElement.dataset.chartsRendered = String(charts.length);
    };

    render();
    dark.addEventListener('change', render);
    let pending;
    window.addEventListener('resize', () => {
        clearTimeout(pending);
        pending = setTimeout(() => charts.forEach(({ chart }) => chart.resize()), 150);
    });
}
