/** A complete written introduction with every profile field stated, shared by the engines' specs. */
export const COMPLETE_INTRO = [
  'Good morning everyone. My name is Priya Sharma and I am a final year student pursuing a bachelor of technology',
  'in computer science at the national institute of technology. I will be graduating in twenty twenty five.',
  'My main skills are python, java and machine learning, and I am also comfortable with sql and react.',
  'In my third year I built a project that predicts crop prices using machine learning.',
  'Last summer I interned at a software company where I worked on the data team.',
  'I won first prize in a coding competition organised by our college.',
  'In my free time I enjoy playing chess and reading books. My strengths are communication and teamwork.',
  'My goal is to become a data scientist and solve real problems. Thank you for listening.',
].join(' ');
