// The image store and its container records, as every container command needs them.
import { ImageStore } from '../store/imageStore';
import { ContainerStore } from './containerStore';

export async function openContainers(): Promise<{ images: ImageStore; containers: ContainerStore }> {
  const images = await ImageStore.open();
  return { images, containers: new ContainerStore(images.containersDir) };
}
