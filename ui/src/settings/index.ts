// Placeholder for the settings screen (owned by the admin screens' author): the app shell calls
// `showSettings(root)` when the "Settings" entry of the navigation is chosen.

export async function showSettings(root: HTMLElement): Promise<void> {
  const heading = document.createElement('h1');
  heading.textContent = 'Settings';
  const note = document.createElement('p');
  note.textContent = 'Settings are not ready yet.';
  root.replaceChildren(heading, note);
  root.dataset.testid = 'settings-screen';
}
