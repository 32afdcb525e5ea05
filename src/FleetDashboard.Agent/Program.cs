// Placeholder entry until the simulate command lands.
return 0;
