// Placeholder for the tutor area (owned by the admin screens' author): the app shell calls
// `showTutor(root)` when the "Tutor" entry of the navigation is chosen.

export async function showTutor(root: HTMLElement): Promise<void> {
  const heading = document.createElement('h1');
  heading.textContent = 'Tutor';
  const note = document.createElement('p');
  note.textContent = 'The tutor area is not ready yet.';
  root.replaceChildren(heading, note);
  root.dataset.testid = 'tutor-screen';
}
