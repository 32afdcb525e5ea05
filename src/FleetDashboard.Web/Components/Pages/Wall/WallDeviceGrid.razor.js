// The wall's grid of cells, drawn here rather than rendered by Blazor: a wall of 10,000 devices would otherwise keep
// 10,000 elements' frames, twice, in the server's memory for every screen open. The server sends the cells once, and
// then only the cells whose status changed; a cell keeps its element when it turns.

/** Draws every cell afresh: on first sight, and when devices arrive, leave or are renamed (the order moves). */
export function draw(grid, cells) {
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < cells.ids.length; i++) {
        const cell = document.createElement('div');
        cell.className = cells.classes[cells.statuses[i]];
        cell.title = cells.names[i];
        cell.dataset.device = cells.ids[i];
        if (cells.named) {
            // In a block of its own: the card is a flex box, which clips a long name without an ellipsis.
            const name = document.createElement('span');
            name.className = 'wall-cell-name';
            name.textContent = cells.names[i];
            cell.append(name);
        }
        fragment.append(cell);
    }
    grid.replaceChildren(fragment);
    grid.wallClasses = cells.classes;
}

/** Turns the cells at the given positions to the given statuses. */
export function turn(grid, positions, statuses) {
    for (let i = 0; i < positions.length; i++) {
        grid.children[positions[i]].className = grid.wallClasses[statuses[i]];
    }
}
