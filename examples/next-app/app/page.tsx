import Link from 'next/link';

export default function Home() {
  return (
    <main>
      <h1>Bucketry on Next.js</h1>
      <Link href="/skills">Skills</Link>
    </main>
  );
}
