import { ModelDownloadBanner } from "../src/client/model-download-banner";
import { UploadForm } from "../src/client/upload-form";

export default function HomePage() {
  return (
    <div className="home">
      <section className="intro">
        <h1>Dub a video into another language</h1>
        <p className="muted">
          Upload a video and pick a language. The dubbed version starts playing as soon as its first part is
          ready, and keeps going while the rest is made.
        </p>
      </section>
      <ModelDownloadBanner />
      <UploadForm />
    </div>
  );
}
