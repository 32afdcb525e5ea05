// A static page's times, written by the server in UTC (it does not know the reader's time zone), shown in the
// reader's own: <time datetime="…Z" data-local-time>. Without script the UTC time stays, which is still right.
for (const time of document.querySelectorAll('time[data-local-time]')) {
    const at = new Date(time.dateTime);
    if (!isNaN(at)) time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
