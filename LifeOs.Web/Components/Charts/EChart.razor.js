// The browser half of EChart.razor: one ECharts instance per element. ECharts (about 1 MB, 290 KB
// brotli) is loaded only when a page draws its first chart. Options arrive as JSON built in C#; colours
// named as CSS variables ("var(--mud-palette-primary)") are read from the page, so light and dark both
// read well, and everything theme-like (axes, legend, tooltip) follows MudBlazor's palette.
import * as echarts from '../../lib/echarts/echarts.esm.min.js';

const css = (element, name) => getComputedStyle(element).getPropertyValue(name).trim();

const resolve = (element, value) => {
    if (typeof value === 'string' && value.startsWith('var(')) {
        return css(element, value.slice(4, -1)) || value;
    }
    if (Array.isArray(value)) {
        return value.map(v => resolve(element, v));
    }
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(element, v)]));
    }
    return value;
};

// Durations in hours as "7 h 05"; other values as the server formatted them.
const hours = v => {
    const minutes = Math.round(v * 60);
    return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
};
const formatters = { hours };

const palette = element => [
    css(element, '--mud-palette-primary'),
    css(element, '--mud-palette-secondary'),
    css(element, '--mud-palette-tertiary'),
    css(element, '--mud-palette-error'),
    '#8e7cc3',
    css(element, '--mud-palette-info'),
    '#9ccc65',
];

// Options arrive as an object (EChart.RawJson); a JSON string works too.
function build(element, json) {
    const options = resolve(element, typeof json === 'string' ? JSON.parse(json) : json);
    const text = css(element, '--mud-palette-text-secondary');
    const strong = css(element, '--mud-palette-text-primary');
    const lines = css(element, '--mud-palette-lines-default');
    const surface = css(element, '--mud-palette-surface');
    const axis = a => ({
        axisLine: { lineStyle: { color: lines } },
        splitLine: { lineStyle: { color: lines } },
        nameTextStyle: { color: text, align: 'center' },
        ...a,
        axisLabel: { color: text, hideOverlap: true, ...(a.axisLabel ?? {}), ...(a.unitFormat === 'hours' ? { formatter: hours } : {}) },
    });
    if (options.xAxis) options.xAxis = [].concat(options.xAxis).map(axis);
    if (options.yAxis) options.yAxis = [].concat(options.yAxis).map(axis);
    if (options.legend) {
        options.legend = [].concat(options.legend).map(l => ({
            ...l,
            textStyle: { color: strong, ...(l.textStyle ?? {}) },
            pageTextStyle: { color: text },
            pageIconColor: text,
            inactiveColor: lines,
        }));
    }
    const tooltip = options.tooltip ? [].concat(options.tooltip).map(t => ({
        backgroundColor: surface,
        borderColor: lines,
        textStyle: { color: strong },
        ...t,
        ...(options.tooltipFormat && formatters[options.tooltipFormat]
            ? { valueFormatter: v => (v == null ? '–' : formatters[options.tooltipFormat](v)) }
            : {}),
    })) : undefined;
    return {
        color: palette(element),
        backgroundColor: 'transparent',
        textStyle: { color: text, fontFamily: css(element, '--mud-typography-default-family') || 'system-ui, sans-serif' },
        animation: false,
        ...options,
        ...(tooltip ? { tooltip } : {}),
    };
}

export function create(element, json) {
    const chart = echarts.init(element, null, { renderer: 'svg' });
    chart.setOption(build(element, json));
    let pending;
    const observer = new ResizeObserver(() => {
        cancelAnimationFrame(pending);
        pending = requestAnimationFrame(() => chart.resize());
    });
    observer.observe(element);
    return {
        // Dark mode changes only CSS variables, so the same JSON is built again against the new ones.
        update(nextJson) {
            chart.setOption(build(element, nextJson), { notMerge: true });
        },
        dispose() {
            observer.disconnect();
            cancelAnimationFrame(pending);
            chart.dispose();
        },
    };
}
