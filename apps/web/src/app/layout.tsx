import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/trpc/providers";
import { Sidebar } from "@/components/sidebar";
import "./globals.css";

export const metadata: Metadata = {
  title: "zonemesh",
  description: "Multi-zone service mesh control plane GUI",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className="shell">
            <Sidebar />
            <main className="content">{children}</main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
